// Serves the dashboard on settings.web.host (127.0.0.1 unless told otherwise: the pages show
// pupils' ELEVE_ID, so exposing them is a deliberate choice, behind the académie's proxy).
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createWebApp, type WebAppDeps } from './app';

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

export function startWebServer(deps: WebAppDeps, listen: { host?: string; port?: number } = {}): Promise<WebServer> {
  const app = createWebApp(deps);
  const hostname = listen.host ?? deps.settings.web.host;
  const port = listen.port ?? deps.settings.web.port;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () => new Promise<void>((done, failed) => server.close((error) => (error ? failed(error) : done()))),
      });
    });
    server.once('error', reject);
  });
}
