// A fixed-window counter per client address, in memory, with a bounded number of addresses: the
// sign-in and upload routes take `rateLimited(limiter)`. Past maxKeys the oldest window is
// forgotten (a Map iterates in insertion order), so a flood of addresses costs at most maxKeys
// entries. One process serves the dashboard, so memory is the right place.
import type { Context, MiddlewareHandler } from 'hono';
import { clientAddress } from './address';

export interface RateLimiter {
  /** true: allowed (and counted); false: over the limit for this window. */
  take(key: string, now?: number): boolean;
  /** Whole seconds until this key's window ends (at least 1): the Retry-After of a refusal. */
  retryAfter(key: string, now?: number): number;
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
    retryAfter(key, now = Date.now()) {
      const window = windows.get(key);
      return window ? Math.max(1, Math.ceil((window.start + options.windowMs - now) / 1000)) : 1;
    },
    size: () => windows.size,
  };
}

/** The answer past the limit (status 429; Retry-After and Connection: close are set already). */
export type RateRefusal = (c: Context, retryAfterSeconds: number) => Response | Promise<Response>;

const tooManyAttempts: RateRefusal = (c) => c.text('Trop de tentatives depuis cette adresse : réessayez dans une minute.', 429);

export function rateLimited(limiter: RateLimiter, trustProxy = false, refuse: RateRefusal = tooManyAttempts): MiddlewareHandler {
  return async (c, next) => {
    const key = clientAddress(c, trustProxy) ?? 'inconnue';
    if (!limiter.take(key)) {
      const seconds = limiter.retryAfter(key);
      c.header('Retry-After', String(seconds));
      // The refused request's body (an upload) is not read: closing the connection drops the rest.
      c.header('Connection', 'close');
      return refuse(c, seconds);
    }
    await next();
  };
}
