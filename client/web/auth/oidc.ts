// Sign-in at the académie's identity provider: authorization code flow with PKCE, state and nonce
// (openid-client). The provider's metadata is discovered once, at the first sign-in, and kept.
// Logins under way (between the redirect to the provider and its answer) live in memory, bounded
// and short-lived: a restart in between only asks the user to try again.
import type * as OpenIdClient from 'openid-client';
import type { OidcSettings } from '../../../config/settings';
import type { Claims } from './claims';

const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 5_000;

interface Pending {
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  at: number;
}

export interface OidcLogin {
  /** The provider's authorization URL, and the state to bind to this browser (a cookie). */
  begin(returnTo: string): Promise<{ url: string; state: string }>;
  /** The provider's answer at the redirect URL: the merged ID token and userinfo claims. */
  finish(callbackUrl: URL, state: string): Promise<{ claims: Claims; returnTo: string }>;
}

const isLoopback = (host: string): boolean => host === '127.0.0.1' || host === 'localhost' || host === '[::1]';

export function createOidcLogin(settings: OidcSettings): OidcLogin {
  let configuration: Promise<OpenIdClient.Configuration> | undefined;
  const pending = new Map<string, Pending>();
  // Loaded at the first sign-in only: every CLI command imports the web app, few sign anyone in.
  let client: typeof OpenIdClient;

  const config = async (): Promise<OpenIdClient.Configuration> => {
    client ??= await import('openid-client');
    const issuer = new URL(settings.issuer);
    // Plain http only for a provider on this machine (a test's, a developer's): never over a network.
    const execute = issuer.protocol === 'http:' && isLoopback(issuer.hostname) ? [client.allowInsecureRequests] : [];
    configuration ??= client.discovery(issuer, settings.clientId, settings.clientSecret, undefined, { execute, timeout: 10 }).catch((error: unknown) => {
      configuration = undefined; // retried at the next sign-in
      throw error;
    });
    return configuration;
  };

  const sweep = (now: number): void => {
    for (const [state, p] of pending) if (now - p.at > PENDING_TTL_MS) pending.delete(state);
    while (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
  };

  return {
    async begin(returnTo) {
      const cfg = await config();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const now = Date.now();
      sweep(now);
      pending.set(state, { codeVerifier, nonce, returnTo, at: now });
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: settings.redirectUrl,
        scope: settings.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, state };
    },
    async finish(callbackUrl, state) {
      const p = pending.get(state);
      pending.delete(state); // one answer per login, whatever it says
      if (!p || Date.now() - p.at > PENDING_TTL_MS) throw new Error('connexion inconnue ou expirée');
      const cfg = await config();
      // The redirect URL as registered (behind a proxy the request's own URL is the internal one).
      const current = new URL(settings.redirectUrl);
      current.search = callbackUrl.search;
      const tokens = await client.authorizationCodeGrant(cfg, current, { pkceCodeVerifier: p.codeVerifier, expectedState: state, expectedNonce: p.nonce, idTokenExpected: true });
      const idClaims = tokens.claims() as Claims | undefined;
      if (!idClaims || typeof idClaims.sub !== 'string') throw new Error('jeton d’identité sans sujet');
      let claims: Claims = { ...idClaims };
      // FrEduRne and friends often come only from userinfo (scope claims are not put in the ID token).
      if (cfg.serverMetadata().userinfo_endpoint) {
        const userinfo = (await client.fetchUserInfo(cfg, tokens.access_token, idClaims.sub)) as Claims;
        claims = { ...userinfo, ...idClaims }; // the signed ID token wins where both speak
      }
      return { claims, returnTo: p.returnTo };
    },
  };
}
