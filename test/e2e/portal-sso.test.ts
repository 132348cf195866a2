// The portal's sign-in end to end: Debian's Chromium (playwright-core) signs in through a real
// OpenID Connect provider started here (oidc-provider, its development login page, accounts that
// carry FrEduRne / FrEduRneResp / FrEduFonctAdm as académies' providers send them) to the real web
// server over the demo fixture (the rows a real run of the demo académie left, in a PGlite folder). A school's staff member sees their
// school and gets 404 on the other school's pages; an admin sees every school; sign-out ends the
// session; a cross-site form without the CSRF token is refused; then the hardening from outside
// the browser (a 1.5 GB unauthenticated POST and the server's RSS, a foreign Host), and
// `synchro audit --json` in a subprocess lists who signed in, confirmed and re-ran.
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { request, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoFixture } from '../../client/web/demo-fixture';
import { startWebServer, type WebServer } from '../../client/web/server';
import type { OpenedDb } from '../../db/client';
import { openDatabase } from '../../db/open';
import { listStepRuns, setStepStatus } from '../../db/queries/step-runs';
import { launchChromium } from '../support/chromium';
import { freePort, listen, signInThroughProvider, startIdentityProvider, type IdentityProvider } from '../support/identity-provider';

/** The identity provider's agents: claims in the shapes providers use (a string, a list). */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'agent-charlemagne': { name: 'Claire Secrétariat', FrEduRne: '0750680G$UAJ$PU$ADF$T3$LYC$340', FrEduFonctAdm: 'ADF' },
  // Works in 9830418M and lists a school this instance does not serve (ignored).
  'agent-buclos': { name: 'Paul Principal', FrEduRne: ['0999999Z$UAJ$PU$ADF$T3$CLG$340'], FrEduRneResp: ['9830418M$UAJ$PU$DIR$T3$CLG$340'], FrEduFonctAdm: 'DIR' },
  'dafpic-admin': { name: 'Admin Académie', FrEduFonctAdm: ['DAFPIC'] },
};

let dataDir: string;
let database: OpenedDb | undefined;
let server: WebServer | undefined;
let idp: IdentityProvider;
let attacker: Server;
let browser: Browser;
const started: { workflowId: string }[] = [];
const updates: { workflowId: string; args: unknown[] }[] = [];
/** Temporal's side of the buttons, recorded (the real chain is under test/temporal). */
const temporalClient = {
  workflow: {
    start: (_type: string, options: { workflowId: string }) => {
      started.push(options);
      return Promise.resolve({ firstExecutionRunId: 'run-sso' });
    },
    getHandle: (workflowId: string) => ({
      describe: () => Promise.resolve({ status: { name: 'RUNNING' } }),
      executeUpdate: (_def: unknown, options: { args: unknown[] }) => {
        updates.push({ workflowId, args: options.args });
        return Promise.resolve({ accepted: true, message: 'Étape confirmée.' });
      },
    }),
  },
} as unknown as Client;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-sso-'));
  database = await openDatabase({ dataDir });
  await loadDemoFixture(database.db);
  // The demo's run ended with nothing failed or waiting: a night refusing 0750680G's élève-groupe
  // file and the year waiting for 0660864F's 4a button are states the chain reaches, set here.
  await setStepStatus(database.db, (await listStepRuns(database.db, { uai: '0750680G', step: 'pronote-siecle-elegroupe' }))[0]!.id, 'failed');
  await setStepStatus(database.db, (await listStepRuns(database.db, { uai: '0660864F', step: 'sts-siecle-structure' }))[0]!.id, 'waiting-person');

  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  idp = await startIdentityProvider({ accounts: ACCOUNTS, webUrl, adminClaims: [['FrEduFonctAdm', 'DAFPIC']] });

  server = await startWebServer(
    {
      db: database.db,
      dataDir,
      temporal: { client: temporalClient, taskQueue: 'sso' },
      settings: {
        web: {
          host: '127.0.0.1', port: webPort,
          oidc: idp.settings,
        },
        temporal: { namespace: 'default' },
      },
      onError: (error) => serverErrors.push(error),
    },
    {},
  );
  expect(server.url).toBe(webUrl);

  // Another origin (same site: 127.0.0.1, so a SameSite=Lax cookie does go along) with a form
  // that posts to the dashboard's "Relancer" without the page's token.
  attacker = await listen((req, res) => {
    const target = decodeURIComponent((req.url ?? '/').slice(1));
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><form method="post" action="${target}"><button type="submit">Gagner</button></form>`);
  });
  browser = await launchChromium();
});

afterAll(async () => {
  // No request of these tests may end in the server's 500 page.
  expect(serverErrors).toEqual([]);
  await browser?.close();
  await server?.close();
  await database?.close();
  await idp?.close();
  await new Promise((r) => attacker?.close(r));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const serverErrors: unknown[] = [];
const UPLOADED = { name: 'notes-du-secretariat.txt', bytes: Buffer.from('Pas un fichier d\'échange.\n', 'utf8') };

/** Signs in at the provider's login page (any password) from the dashboard's sign-in page. */
const signIn = (login: string, startAt = '/') => signInThroughProvider(browser, server!.url, login, startAt);

const gridRows = async (page: Page) => Promise.all((await page.locator('table.grid tbody tr').all()).map((r) => r.getAttribute('data-uai')));
const runOf = async (uai: string, step: string) => (await listStepRuns(database!.db, { uai, step: step as never }))[0]!.id;

describe('signing in through the académie identity provider', () => {
  it("lets a school's staff member see and act on their school only, refuses a cross-site post, and signs out", async () => {
    const { context, page } = await signIn('agent-charlemagne');
    expect(await gridRows(page)).toEqual(['0750680G']);
    expect(await page.locator('header .who').textContent()).toBe('Claire Secrétariat · établissement');

    const own = await page.goto(`${server!.url}/ecoles/0750680G`);
    expect(own!.status()).toBe(200);
    for (const foreign of ['/ecoles/9830418M', `/runs/${await runOf('9830418M', 'lsu-bilans')}`, `/runs/${await runOf('0660864F', 'sts-siecle-structure')}`]) {
      const response = await page.goto(`${server!.url}${foreign}`);
      expect(response!.status(), foreign).toBe(404);
      expect(await page.content()).not.toMatch(/JEAN MOULIN|MARIE CURIE/);
    }

    // A form on another origin posting to this school's own failed run: the cookie goes along
    // (same site), the Origin and the missing token do not pass.
    const failed = await runOf('0750680G', 'pronote-siecle-elegroupe');
    const forged = await context.newPage();
    await forged.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/${encodeURIComponent(`${server!.url}/runs/${failed}/relancer`)}`);
    const [answer] = await Promise.all([forged.waitForResponse(`${server!.url}/runs/${failed}/relancer`), forged.getByRole('button', { name: 'Gagner' }).click()]);
    expect(answer.status()).toBe(403);
    expect(started).toEqual([]);

    // The same button on the dashboard's own page works.
    await page.goto(`${server!.url}/runs/${failed}`);
    await page.getByRole('button', { name: 'Relancer' }).click();
    await page.waitForURL(/\/relancer$/);
    expect(await page.locator('p.notice').textContent()).toContain(`Relance de l'exécution ${failed} démarrée`);
    expect(started).toHaveLength(1);

    // A file handed in on the school's page (not an exchange file: refused, and audited all the same).
    await page.goto(`${server!.url}/etablissement/0750680G`);
    await page.setInputFiles('#fichiers', { name: UPLOADED.name, mimeType: 'text/plain', buffer: UPLOADED.bytes });
    const report = page.locator(`#rapports article.upload-report[data-file="${UPLOADED.name}"]`);
    await report.waitFor({ timeout: 60_000 });
    expect(await report.getAttribute('data-verdict')).toBe('rejected');
    expect(await report.locator('table.codes tbody tr').first().getAttribute('data-code')).toBe('FICHIER_ILLISIBLE');

    await page.goto(`${server!.url}/ecoles/0750680G`);
    expect(await page.locator('table.audit tr[data-action="sign-in"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(`${server!.url}/connexion`);
    await page.goto(`${server!.url}/ecoles/0750680G`);
    expect(page.url()).toBe(`${server!.url}/connexion?retour=%2Fecoles%2F0750680G`);
    await context.close();
  });

  it('ignores a listed school this instance does not serve, and lets the admin see and confirm every school', async () => {
    const buclos = await signIn('agent-buclos');
    expect(await gridRows(buclos.page)).toEqual(['9830418M']);
    expect((await buclos.page.goto(`${server!.url}/ecoles/0750680G`))!.status()).toBe(404);
    await buclos.context.close();

    const waiting = await runOf('0660864F', 'sts-siecle-structure');
    const admin = await signIn('dafpic-admin', `/runs/${waiting}`);
    await admin.page.getByRole('button', { name: "Confirmer l'étape" }).click();
    await admin.page.waitForURL(/\/confirmer$/);
    expect(updates).toEqual([{ workflowId: 'school-year/0660864F/2025', args: [{ step: 'sts-siecle-structure', by: 'dafpic-admin' }] }]);
    await admin.page.goto(server!.url);
    expect((await gridRows(admin.page)).sort()).toEqual(['0660864F', '0750680G', '9830418M']);
    expect(await admin.page.locator('header .who').textContent()).toBe('Admin Académie · administrateur académique');
    await admin.context.close();
  });
});

/** Streams `total` bytes (one reused 1 MB buffer, respecting backpressure) until the server answers. */
function hugePost(url: string, total: number, headers: Record<string, string> = {}): Promise<{ status?: number; sent: number }> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    let status: number | undefined;
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(total), ...headers } }, (res) => {
      status = res.statusCode;
      res.resume();
      res.on('end', () => {
        req.destroy();
        resolve({ status, sent });
      });
    });
    req.on('error', () => resolve({ status, sent }));
    const pump = (): void => {
      while (sent < total && status === undefined) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (sent >= total) req.end();
    };
    pump();
  });
}

function synchro(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SYNCHRO_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve('bin/synchro.js'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the hardened server, seen from outside the browser', () => {
  it('refuses a 1.5 GB unauthenticated POST at once, without the RSS growing, and a foreign Host', async () => {
    const run = await runOf('0750680G', 'pronote-siecle-elegroupe');
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const answer = await hugePost(`${server!.url}/runs/${run}/relancer`, 1536 * 1024 * 1024);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`unauthenticated 1.5 GB POST: ${answer.status} after ${answer.sent / 1024 / 1024} MB sent; RSS ${Math.round(before / 1e6)} → peak ${Math.round(peak / 1e6)} MB`);
    expect(answer.status).toBe(401);
    expect(answer.sent).toBeLessThan(256 * 1024 * 1024);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);

    const rebinding = await new Promise<number | undefined>((resolve) => {
      request(`${server!.url}/`, { headers: { host: `rebind.attacker.example:${new URL(server!.url).port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).end();
    });
    expect(rebinding).toBe(421);
  });

  it('lists in `synchro audit --json` the sign-ins, the upload, the re-run and the confirmation with who did them', async () => {
    await server!.close();
    server = undefined;
    await database!.close();
    database = undefined;
    const result = await synchro(['audit', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { entries } = JSON.parse(result.stdout) as { entries: { action: string; uai: string | null; actor: { subject: string; name?: string }; address: string | null; details: Record<string, unknown> }[] };
    const find = (action: string, subject: string) => entries.find((e) => e.action === action && e.actor.subject === subject);
    expect(find('sign-in', 'agent-charlemagne')).toMatchObject({ uai: '0750680G', actor: { name: 'Claire Secrétariat' }, address: '127.0.0.1', details: { method: 'oidc', role: 'staff' } });
    expect(find('upload', 'agent-charlemagne')).toMatchObject({ uai: '0750680G', address: '127.0.0.1', details: { name: UPLOADED.name, sha256: createHash('sha256').update(UPLOADED.bytes).digest('hex') } });
    expect(find('rerun', 'agent-charlemagne')).toMatchObject({ uai: '0750680G', details: { step: 'pronote-siecle-elegroupe', via: 'web' } });
    expect(find('sign-out', 'agent-charlemagne')).toMatchObject({ uai: '0750680G' });
    expect(find('sign-in', 'agent-buclos')).toMatchObject({ uai: '9830418M' });
    expect(find('confirm', 'dafpic-admin')).toMatchObject({ uai: '0660864F', actor: { name: 'Admin Académie' }, details: { step: 'sts-siecle-structure' } });
    expect(entries.filter((e) => e.uai === '0999999Z')).toEqual([]);

    const school = JSON.parse((await synchro(['audit', '--uai', '9830418M', '--json'])).stdout) as { entries: { uai: string }[] };
    expect(school.entries.length).toBeGreaterThan(0);
    expect(new Set(school.entries.map((e) => e.uai))).toEqual(new Set(['9830418M']));
  });
});
