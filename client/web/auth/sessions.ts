// Sessions kept on the server (the web_sessions table) rather than in a signed, encrypted cookie:
// sign-out and expiry then really end a session (a stolen cookie dies with it), a user's schools
// can be narrowed without waiting for a cookie to expire, and no encryption key has to be managed
// and rotated. The cookie holds 32 random bytes; the table only their sha256.
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../../db/client';
import { deleteExpiredWebSessions, deleteWebSession, getWebSession, insertWebSession, touchWebSession } from '../../../db/queries/web-sessions';
import type { Viewer } from '../viewer';

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
  /** Secure cookies (and the __Host- prefix): the site is reached over https. */
  secure: boolean;
}

export interface SignedIn {
  viewer: Viewer;
  csrfToken: string;
  idHash: string;
}

const hash = (id: string): string => createHash('sha256').update(id).digest('hex');
export const randomToken = (): string => randomBytes(32).toString('base64url');

export function cookieName(policy: Pick<SessionPolicy, 'secure'>): string {
  return policy.secure ? '__Host-synchro_session' : 'synchro_session';
}

/** Opens a new session (a new id at every sign-in: no fixation) and sets its cookie. */
export async function openSession(c: Context, db: Db, policy: SessionPolicy, who: Omit<Viewer, 'kind'> & { kind: 'admin' | 'staff' }, now = new Date()): Promise<SignedIn> {
  await deleteExpiredWebSessions(db, now);
  const id = randomToken();
  const csrfToken = randomToken();
  const schools = who.schools === 'all' ? null : [...who.schools].sort();
  await insertWebSession(db, {
    idHash: hash(id), kind: who.kind, subject: who.subject, name: who.name ?? null, schools, csrfToken,
    expiresAt: new Date(now.getTime() + policy.maxHours * 3_600_000), now,
  });
  setCookie(c, cookieName(policy), id, { httpOnly: true, secure: policy.secure, sameSite: 'Lax', path: '/', maxAge: policy.maxHours * 3600 });
  return { viewer: { kind: who.kind, subject: who.subject, ...(who.name && { name: who.name }), schools: who.schools }, csrfToken, idHash: hash(id) };
}

/** The session of this request's cookie, if it is known and neither idle too long nor past its end. */
export async function currentSession(c: Context, db: Db, policy: SessionPolicy, now = new Date()): Promise<SignedIn | undefined> {
  const id = getCookie(c, cookieName(policy));
  if (!id || id.length > 100) return undefined;
  const idHash = hash(id);
  const row = await getWebSession(db, idHash);
  if (!row) return undefined;
  const idleEnd = row.lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  if (now >= row.expiresAt || now.getTime() >= idleEnd) {
    await deleteWebSession(db, idHash);
    return undefined;
  }
  // One write a minute at most, not one per page.
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) await touchWebSession(db, idHash, now);
  const viewer: Viewer = { kind: row.kind, subject: row.subject, ...(row.name !== null && { name: row.name }), schools: row.schools === null ? 'all' : new Set(row.schools) };
  return { viewer, csrfToken: row.csrfToken, idHash };
}

export async function closeSession(c: Context, db: Db, policy: SessionPolicy, idHash: string): Promise<void> {
  await deleteWebSession(db, idHash);
  deleteCookie(c, cookieName(policy), { path: '/', secure: policy.secure, httpOnly: true, sameSite: 'Lax' });
}
