// Serves the dashboard on settings.web.host (127.0.0.1 unless told otherwise: the pages show
// pupils' ELEVE_ID, so exposing them is a deliberate choice, behind the académie's proxy).
// Request headers are bounded (16 KB) and slow clients cut off, besides the body limits of guard.ts.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { listSchools } from '../../db/queries/schools';
import { createWebApp, type WebAppDeps } from './app';
import { localAccounts } from './auth/local-signin';

export interface WebServer {
  url: string;
  /** The demo's one-time sign-in links (full URLs), fresh ones each call; empty with an identity provider. */
  signInLinks(): Promise<{ name: string; url: string }[]>;
  close(): Promise<void>;
}

export function startWebServer(deps: WebAppDeps, listen: { host?: string; port?: number } = {}): Promise<WebServer> {
  const hostname = listen.host ?? deps.settings.web.host;
  const port = listen.port ?? deps.settings.web.port;
  const listening: NonNullable<WebAppDeps['listening']> = { port };
  const app = createWebApp({ ...deps, listening, settings: { ...deps.settings, web: { ...deps.settings.web, host: hostname } } });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port, serverOptions: { maxHeaderSize: 16 * 1024, requestTimeout: 600_000, headersTimeout: 20_000 } }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      const url = `http://${host}:${info.port}`;
      listening.port = info.port;
      listening.url = url;
      const base = deps.settings.web.publicUrl ?? url;
      resolve({
        url,
        signInLinks: async () =>
          app.localSignIn ? app.localSignIn.issue(localAccounts(await listSchools(deps.db))).map((l) => ({ name: l.account.name, url: `${base}${l.path}` })) : [],
        close: () => new Promise<void>((done, failed) => server.close((error) => (error ? failed(error) : done()))),
      });
    });
    server.once('error', reject);
  });
}

/** The demo's sign-in, in the terminal: one link for the admin and one per school (the first ten). */
export async function printSignInLinks(server: WebServer, say: (line: string) => void): Promise<void> {
  const links = await server.signInLinks();
  if (links.length === 0) return;
  say('Connexion de démonstration (liens à usage unique, valables 15 minutes ; la page /connexion en affiche de nouveaux ici) :');
  for (const link of links) say(`  ${link.name} : ${link.url}`);
}
