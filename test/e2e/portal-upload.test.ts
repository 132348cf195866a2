// The school's page in a real browser (Debian's headless Chromium, playwright-core) on the real
// HTTP server, signed in as Paris's staff by the demo's one-time link (the confirmation button
// clicked in the page), under the app's CSP (no inline script): two files chosen with the file input and one dropped on the zone, each sent by the
// page's own script as a PUT, each report shown on the page — deposited, or refused with why.
// SYNCHRO_SCREENSHOT=docs/portal.png also writes the README's screenshot of the page.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebApp } from '../../client/web/app';
import { GRENOBLE, PARIS, signInLink, usePortal } from '../unit/web/portal-harness';

const portal = usePortal();
let server: ServerType;
let url: string;
let browser: BrowserContext;
let profile: string;
let app: WebApp;
const listening = { port: 0, url: '' };

beforeAll(async () => {
  app = portal.webApp({ listening });
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  listening.port = (server.address() as AddressInfo).port;
  url = listening.url = `http://127.0.0.1:${listening.port}`;
  profile = await mkdtemp(path.join(os.tmpdir(), 'synchro-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    viewport: { width: 1300, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe("the school's page in Chromium", () => {
  it('uploads the files chosen in the input and the file dropped on the zone, and shows each report', async () => {
    const own = await portal.generate(PARIS, { seed: 51 });
    const other = await portal.generate(GRENOBLE, { seed: 52 });
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) blocked.push(m.text()); });
    // Not signed in: the page sends the browser to the sign-in page.
    await page.goto(`${url}/etablissement/${PARIS}`);
    expect(new URL(page.url()).pathname).toBe('/connexion');
    await page.goto(`${url}${await signInLink(portal.db, app, PARIS)}`);
    await Promise.all([page.waitForURL(`${url}/ecoles/${PARIS}`), page.click('button[type=submit]')]);
    await page.click(`a[href="/etablissement/${PARIS}"]`);
    await page.waitForURL(`${url}/etablissement/${PARIS}`);
    expect(await page.locator('h1').textContent()).toContain('Lycée Charlemagne');

    await page.setInputFiles('#fichiers', [own.byRole['sts-emp']!, own.byRole['emp-sts']!]);
    // (A locator, not waitForFunction: that evaluates a string, which the page's CSP forbids.)
    const reports = page.locator('#rapports article.upload-report');
    await reports.nth(1).waitFor({ timeout: 30_000 });
    const outcomes: [string | null, string | null][] = [];
    for (let i = 0; i < (await reports.count()); i += 1) outcomes.push([await reports.nth(i).getAttribute('data-file'), await reports.nth(i).getAttribute('data-outcome')]);
    outcomes.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(outcomes).toEqual([[path.basename(own.byRole['emp-sts']!), 'deposited'], [path.basename(own.byRole['sts-emp']!), 'deposited']]);

    // Drag and drop: another school's export, dropped on the zone.
    const name = path.basename(other.byRole['sts-emp']!);
    const content = (await readFile(other.byRole['sts-emp']!)).toString('latin1');
    // Built in the page (browser code as a string: this file is type-checked without the DOM library).
    const transfer = await page.evaluateHandle(`(() => {
      const c = ${JSON.stringify(content)};
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(c, (ch) => ch.charCodeAt(0))], ${JSON.stringify(name)}, { type: 'text/xml' }));
      return dt;
    })()`);
    await page.dispatchEvent('#zone', 'drop', { dataTransfer: transfer });
    const refused = page.locator(`#rapports article.upload-report[data-file="${name}"]`);
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.getAttribute('data-outcome')).toBe('refused');
    expect(await refused.locator('.decision').textContent()).toContain(`fichier de l'établissement ${GRENOBLE}, pas de ${PARIS}`);
    // The script ran from its own file: nothing was blocked by the CSP.
    expect(blocked).toEqual([]);
    if (process.env.SYNCHRO_SCREENSHOT) await page.screenshot({ path: process.env.SYNCHRO_SCREENSHOT, fullPage: false });
  }, 120_000);
});
