// CSRF check of state-changing requests. Minimal placeholder (d1 replaces it with the session's
// synchronizer token): the token the sign-in middleware put on the request (`csrfToken` context
// variable) must come back as the `X-CSRF-Token` header or the `csrf` form field. Scripts using
// the bearer token (viewer kind 'token') carry no cookie, hence no CSRF risk. No token on the
// request and not a script: refused (fail closed).
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { viewerOf } from './viewer';

export function csrfTokenOf(c: Context): string | undefined {
  return (c.get as (key: string) => unknown)('csrfToken') as string | undefined;
}

export async function verifyCsrf(c: Context): Promise<boolean> {
  if (viewerOf(c)?.kind === 'token') return true;
  const expected = csrfTokenOf(c);
  if (!expected) return false;
  let given = c.req.header('x-csrf-token');
  // Only a form body is parsed for the field (an upload's raw body is never read here).
  if (given === undefined && /^application\/x-www-form-urlencoded|^multipart\/form-data/.test(c.req.header('content-type') ?? '')) {
    const form = await c.req.parseBody().catch((): Record<string, unknown> => ({}));
    given = typeof form.csrf === 'string' ? form.csrf : undefined;
  }
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
