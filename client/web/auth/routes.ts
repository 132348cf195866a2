// The sign-in routes: /connexion (the page), /connexion/oidc → the identity provider →
// /connexion/retour, the demo's one-time links /connexion/locale/<jeton>, and POST /deconnexion.
// Each sign-in and sign-out is written to the audit log, once per school the user can see (so each
// school's page shows who came in), or without a school for an académie admin.
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { OidcSettings } from '../../../config/settings';
import type { Db } from '../../../db/client';
import { recordAudit } from '../../../db/queries/audit';
import { listSchools } from '../../../db/queries/schools';
import { registeredAmong } from '../../../db/queries/web-sessions';
import { clientAddress } from '../address';
import type { GuardVariables } from '../guard';
import { localConfirmPage, signInPage } from '../pages/signin';
import { createRateLimiter, rateLimited } from '../rate-limit';
import { actorOf, type Viewer } from '../viewer';
import { claimedSchools, displayName, isAcademieAdmin, type Claims } from './claims';
import { localAccounts, type LocalLink, type LocalSignIn } from './local-signin';
import type { OidcLogin } from './oidc';
import { closeSession, openSession, type SessionPolicy } from './sessions';

export interface AuthDeps {
  db: Db;
  policy: SessionPolicy;
  trustProxy: boolean;
  oidc?: { login: OidcLogin; settings: OidcSettings };
  /** The demo's sign-in, when no identity provider is configured. */
  local?: LocalSignIn;
  /** Prints fresh one-time links (full URLs) where the operator reads them: the server's terminal. */
  printLinks?: (links: LocalLink[]) => void;
  onError: (error: unknown) => void;
}

const LOGIN_COOKIE = 'synchro_login';

/** Where to go after sign-in: a path of this site only (never `//elsewhere` or a URL). */
export function safeReturn(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') && value.length < 500 ? value : '/';
}

export async function auditSignIn(db: Db, c: Context, viewer: Viewer, action: 'sign-in' | 'sign-out', trustProxy: boolean, details: Record<string, unknown> = {}): Promise<void> {
  const address = clientAddress(c, trustProxy);
  const uais = viewer.schools === 'all' ? [undefined] : [...viewer.schools];
  for (const uai of uais) await recordAudit(db, { actor: actorOf(viewer), action, uai, address, details: { role: viewer.kind, ...details } });
}

export function registerAuthRoutes(app: Hono<{ Variables: GuardVariables }>, deps: AuthDeps): void {
  const { db, policy } = deps;
  // Per address: 30 sign-in requests a minute is more than a person needs, little for a script.
  const limiter = rateLimited(createRateLimiter({ limit: 30, windowMs: 60_000 }), deps.trustProxy);
  app.use('/connexion', limiter);
  app.use('/connexion/*', limiter);

  const begin = async (c: Context, viewer: Viewer, method: string) => {
    const signedIn = await openSession(c, db, policy, { ...viewer, kind: viewer.kind === 'admin' ? 'admin' : 'staff' });
    await auditSignIn(db, c, signedIn.viewer, 'sign-in', deps.trustProxy, { method });
  };

  app.get('/connexion', async (c) => {
    const returnTo = safeReturn(c.req.query('retour'));
    if (c.get('viewer')) return c.redirect(returnTo, 303);
    if (!deps.oidc && deps.local && deps.printLinks) {
      deps.printLinks(deps.local.issue(localAccounts(await listSchools(db))));
    }
    return c.html(signInPage({ oidc: Boolean(deps.oidc), returnTo }));
  });

  app.get('/connexion/oidc', async (c) => {
    if (!deps.oidc) return c.html(signInPage({ oidc: false, returnTo: '/' }), 404);
    const { url, state } = await deps.oidc.login.begin(safeReturn(c.req.query('retour')));
    setCookie(c, LOGIN_COOKIE, state, { httpOnly: true, secure: policy.secure, sameSite: 'Lax', path: '/connexion', maxAge: 600 });
    return c.redirect(url, 303);
  });

  app.get('/connexion/retour', async (c) => {
    if (!deps.oidc) return c.html(signInPage({ oidc: false, returnTo: '/' }), 404);
    const state = c.req.query('state');
    const bound = getCookie(c, LOGIN_COOKIE);
    deleteCookie(c, LOGIN_COOKIE, { path: '/connexion', secure: policy.secure, httpOnly: true, sameSite: 'Lax' });
    const again = (message: string, status: 400 | 403) => c.html(signInPage({ oidc: true, returnTo: '/', message }), status);
    if (c.req.query('error')) return again(`Le fournisseur d'identité a refusé la connexion (${c.req.query('error')!.slice(0, 60)}).`, 400);
    // The state must be the one this browser was sent with: a login started elsewhere is refused.
    if (!state || !bound || state !== bound) return again('Connexion expirée ou commencée dans un autre navigateur : recommencez.', 400);
    let claims: Claims;
    let returnTo: string;
    try {
      ({ claims, returnTo } = await deps.oidc.login.finish(new URL(c.req.url), state));
    } catch (error) {
      deps.onError(error);
      return again("La connexion n'a pas abouti auprès du fournisseur d'identité : recommencez.", 400);
    }
    const subject = claims.sub as string;
    const name = displayName(claims);
    if (isAcademieAdmin(claims, deps.oidc.settings)) {
      await begin(c, { kind: 'admin', subject, ...(name && { name }), schools: 'all' }, 'oidc');
      return c.redirect(returnTo, 303);
    }
    // Schools listed by the claims but not registered here are ignored.
    const schools = await registeredAmong(db, claimedSchools(claims));
    if (schools.length === 0) {
      await auditSignIn(db, c, { kind: 'staff', subject, ...(name && { name }), schools: 'all' }, 'sign-in', deps.trustProxy, { refused: 'aucun établissement' });
      return again("Votre compte n'est rattaché à aucun établissement suivi ici (FrEduRne, FrEduRneResp) : connexion refusée.", 403);
    }
    await begin(c, { kind: 'staff', subject, ...(name && { name }), schools: new Set(schools) }, 'oidc');
    return c.redirect(returnTo, 303);
  });

  app.get('/connexion/locale/:token', (c) => {
    const account = deps.local?.peek(c.req.param('token'));
    if (!account) return c.html(signInPage({ oidc: Boolean(deps.oidc), returnTo: '/', message: 'Lien de connexion inconnu, expiré ou déjà utilisé.' }), 404);
    return c.html(localConfirmPage({ action: c.req.path, who: account.name }));
  });

  app.post('/connexion/locale/:token', async (c) => {
    const account = deps.local?.redeem(c.req.param('token'));
    if (!account) return c.html(signInPage({ oidc: Boolean(deps.oidc), returnTo: '/', message: 'Lien de connexion inconnu, expiré ou déjà utilisé.' }), 404);
    const viewer: Viewer = account.kind === 'admin'
      ? { kind: 'admin', subject: account.subject, name: account.name, schools: 'all' }
      : { kind: 'staff', subject: account.subject, name: account.name, schools: new Set(await registeredAmong(db, [account.uai!])) };
    await begin(c, viewer, 'local');
    return c.redirect(account.kind === 'admin' ? '/' : `/ecoles/${account.uai!}`, 303);
  });

  app.post('/deconnexion', async (c) => {
    const viewer = c.get('viewer');
    const idHash = c.get('sessionHash');
    if (viewer && idHash) {
      await closeSession(c, db, policy, idHash);
      await auditSignIn(db, c, viewer, 'sign-out', deps.trustProxy);
    }
    return c.redirect('/connexion', 303);
  });
}
