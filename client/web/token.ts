// Scripts act with `Authorization: Bearer <SYNCHRO_WEB_TOKEN>`: they are the 'token' viewer, who
// sees every school and is written "jeton" in the audit log. People sign in instead (sessions);
// without a configured token, no bearer is accepted.
import { timingSafeEqual } from 'node:crypto';
import type { Viewer } from './viewer';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token viewer when the header carries the configured token; undefined otherwise. */
export function bearerViewer(configured: string | undefined, authorization: string): Viewer | undefined {
  const given = authorization.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (!configured || !given || !same(given, configured)) return undefined;
  return { kind: 'token', subject: 'jeton', schools: 'all' };
}
