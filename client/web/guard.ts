// What every request goes through before a route sees it, in this order: its Host is one of ours
// (DNS rebinding), the security headers, who is asking (session cookie or bearer token) — checked
// before a byte of the body is read —, then a bounded body, then, for anything that changes state,
// the Origin and the synchronizer token (CSRF). An unknown visitor is sent to the sign-in page
// (pages) or answered 401 (everything else), and a refused request closes its connection so that
// the rest of a large body is not even read.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../../db/client';
import { currentSession, type SessionPolicy } from './auth/sessions';
import { isStreamingRoute } from './streaming-routes';
import { bearerViewer } from './token';
import type { Viewer } from './viewer';

/** Forms carry a few fields: 64 KB is plenty, and bounds what an authenticated user can send. */
export const FORM_BODY_LIMIT = 64 * 1024;

export interface GuardVariables {
  viewer?: Viewer;
  /** The session's synchronizer token (absent for the bearer token). */
  csrf?: string;
  sessionHash?: string;
}

export interface GuardOptions {
  db: Db;
  policy: SessionPolicy;
  token?: string;
  publicOrigin?: string;
  /** Host headers we answer (lower case, host[:port]). */
  hosts: () => ReadonlySet<string>;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Reachable without being signed in: the sign-in pages themselves. */
const isPublic = (path: string): boolean => path === '/connexion' || path.startsWith('/connexion/') || path === '/deconnexion';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function refuse(c: Context, status: 400 | 401 | 403 | 413 | 421, message: string): Response {
  c.header('Connection', 'close');
  return c.text(message, status);
}

export function hostOf(c: Context): string {
  return (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();
}

export function allowedHosts(listen: { host: string; port: number }, publicUrl: string | undefined, extra: readonly string[]): Set<string> {
  const hosts = new Set<string>(extra.map((h) => h.toLowerCase()));
  const name = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const loopbacks = ['127.0.0.1', 'localhost', '[::1]'];
  const names = new Set([name.toLowerCase(), ...(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(listen.host) ? loopbacks : [])]);
  for (const n of names) {
    if (listen.port === 0) hosts.add(n); // not listening (the app driven in-process by tests)
    else hosts.add(`${n}:${listen.port}`);
    if (listen.port === 80) hosts.add(n);
  }
  if (publicUrl) hosts.add(new URL(publicUrl).host.toLowerCase());
  return hosts;
}

export function checkHost(hosts: () => ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    if (!hosts().has(hostOf(c))) return refuse(c, 421, `Hôte non servi ici : ${hostOf(c).slice(0, 100)}.`);
    await next();
  };
}

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // No external asset at all; styles are inline in the layout; scripts only from this origin.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on our own form
    // posts, and the Origin check below could not tell them from a forged one. Other sites get nothing.
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    // Pages show pupils' identifiers: no cache keeps them after sign-out.
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  };
}

export function authenticate(options: GuardOptions): MiddlewareHandler<{ Variables: GuardVariables }> {
  return async (c, next) => {
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const viewer = bearerViewer(options.token, authorization);
      if (!viewer) return refuse(c, 401, options.token ? 'Jeton incorrect.' : "Aucun jeton n'est configuré (SYNCHRO_WEB_TOKEN) : connectez-vous.");
      c.set('viewer', viewer);
    } else {
      const session = await currentSession(c, options.db, options.policy);
      if (session) {
        c.set('viewer', session.viewer);
        c.set('csrf', session.csrfToken);
        c.set('sessionHash', session.idHash);
      }
    }
    if (!c.get('viewer') && !isPublic(c.req.path)) {
      const wantsPage = SAFE.has(c.req.method) && (c.req.header('accept') ?? 'text/html').includes('text/html');
      if (wantsPage) {
        const url = new URL(c.req.url);
        return c.redirect(`/connexion?retour=${encodeURIComponent(url.pathname + url.search)}`, 303);
      }
      return refuse(c, 401, 'Connexion requise.');
    }
    await next();
  };
}

/** Every body bounded (forms to FORM_BODY_LIMIT); the streaming routes bound their own. */
export function limitBodies(): MiddlewareHandler {
  const forms = bodyLimit({ maxSize: FORM_BODY_LIMIT, onError: (c) => refuse(c, 413, 'Requête trop volumineuse.') });
  return async (c, next) => {
    if (SAFE.has(c.req.method) || isStreamingRoute(c.req.method, c.req.path)) return next();
    return forms(c, next);
  };
}

/** The Origin (or Referer) of a state-changing request is this site, and a session's request carries its token. */
export function checkCsrf(options: Pick<GuardOptions, 'publicOrigin'>): MiddlewareHandler<{ Variables: GuardVariables }> {
  return async (c, next) => {
    if (SAFE.has(c.req.method) || c.get('viewer')?.kind === 'token') return next();
    const claimed = c.req.header('origin') ?? c.req.header('referer');
    let origin: URL | undefined;
    try {
      origin = claimed && claimed !== 'null' ? new URL(claimed) : undefined;
    } catch {
      origin = undefined;
    }
    const ours = origin && (origin.origin === options.publicOrigin || origin.host.toLowerCase() === hostOf(c));
    if (!ours) return refuse(c, 403, "Requête refusée : elle ne vient pas d'une page de ce site (en-tête Origin).");
    const expected = c.get('csrf');
    if (expected === undefined) return next(); // the sign-in pages: no session yet
    let given = c.req.header('x-csrf-token') ?? c.req.query('csrf');
    if (given === undefined && !isStreamingRoute(c.req.method, c.req.path)) {
      const form = await c.req.parseBody().catch((): Record<string, unknown> => ({}));
      if (typeof form.csrf === 'string') given = form.csrf;
    }
    if (given === undefined || !same(given, expected)) return refuse(c, 403, 'Requête refusée : jeton de formulaire absent ou périmé. Rechargez la page et recommencez.');
    await next();
  };
}
