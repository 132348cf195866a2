// A fixed-window counter per client address, in memory, with a bounded number of addresses: the
// sign-in and upload routes take `rateLimited(limiter)`. Past maxKeys the oldest window is
// forgotten (a Map iterates in insertion order), so a flood of addresses costs at most maxKeys
// entries. One process serves the dashboard, so memory is the right place.
import type { MiddlewareHandler } from 'hono';
import { clientAddress } from './address';

export interface RateLimiter {
  /** true: allowed (and counted); false: over the limit for this window. */
  take(key: string, now?: number): boolean;
  size(): number;
}

export function createRateLimiter(options: { limit: number; windowMs: number; maxKeys?: number }): RateLimiter {
  const maxKeys = options.maxKeys ?? 10_000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key, now = Date.now()) {
      let window = windows.get(key);
      if (!window || now - window.start >= options.windowMs) {
        windows.delete(key);
        window = { start: now, count: 0 };
        windows.set(key, window);
        while (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
      }
      window.count += 1;
      return window.count <= options.limit;
    },
    size: () => windows.size,
  };
}

export function rateLimited(limiter: RateLimiter, trustProxy = false): MiddlewareHandler {
  return async (c, next) => {
    if (!limiter.take(clientAddress(c, trustProxy) ?? 'inconnue')) {
      c.header('Retry-After', '60');
      c.header('Connection', 'close');
      return c.text('Trop de tentatives depuis cette adresse : réessayez dans une minute.', 429);
    }
    await next();
  };
}
