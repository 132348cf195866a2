// The académie's identity provider for the browser tests: a real OpenID Connect provider
// (oidc-provider, with its development login and consent pages) on 127.0.0.1, whose accounts carry
// FrEduRne / FrEduRneResp / FrEduFonctAdm in the shapes académies' providers send (a string, a
// list); and signing in through those pages in Chromium, from the dashboard's own sign-in page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { OidcSettings } from '../../config/settings';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export function listen(handler: Parameters<typeof createServer>[1], port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const s = createServer(handler).listen(port, '127.0.0.1', () => resolve(s));
  });
}

export interface IdentityProvider {
  issuer: string;
  /** The web server's OIDC settings for this provider (its one client, the claims' scope). */
  settings: OidcSettings;
  close(): Promise<void>;
}

const CLIENT = { id: 'synchro-eple', secret: 'secret-du-client' };

/**
 * Starts the provider for a dashboard that will listen at `webUrl` (its redirect URL is registered
 * with the client). `adminClaims` are the web server's admin rule (as SYNCHRO_OIDC_ADMIN_CLAIMS).
 */
export async function startIdentityProvider(options: { accounts: Record<string, Record<string, unknown>>; webUrl: string; adminClaims?: [string, string][] }): Promise<IdentityProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const redirectUrl = `${options.webUrl}/connexion/retour`;
  const { accounts } = options;
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [redirectUrl], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], profile: ['name'], fredu: ['FrEduRne', 'FrEduRneResp', 'FrEduFonctAdm'] },
    scopes: ['openid', 'profile', 'fredu'],
    findAccount: (_ctx, id) => (accounts[id] ? { accountId: id, claims: () => ({ sub: id, ...accounts[id] }) } : undefined),
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['clef-de-test-du-fournisseur'] },
    pkce: { required: () => true },
  });
  const server = await listen(provider.callback(), port);
  return {
    issuer,
    settings: { issuer, clientId: CLIENT.id, clientSecret: CLIENT.secret, redirectUrl, scopes: 'openid profile fredu', adminClaims: options.adminClaims ?? [['FrEduFonctAdm', 'DAFPIC']], adminSubjects: [] },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Opens `startAt` in a new browser context, is sent to the dashboard's sign-in page, follows
 * « Se connecter avec le compte académique » to the provider's login page (any password), consents
 * if asked, and waits to be back on `startAt`.
 */
export async function signInThroughProvider(browser: Browser, webUrl: string, login: string, startAt = '/'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${webUrl}${startAt}`);
  await page.waitForURL(/\/connexion\?retour=/);
  await page.getByRole('link', { name: 'Se connecter avec le compte académique' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('mot-de-passe');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  await Promise.race([page.waitForURL(`${webUrl}/**`), consent.waitFor().then(() => consent.click())]);
  await page.waitForURL(`${webUrl}${startAt}`);
  return { context, page };
}
