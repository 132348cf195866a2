// The dashboard in a real browser: Debian's headless Chromium driven by playwright-core, on the
// demo state (three schools) served by the real HTTP server. Opens the grid, keeps the failures,
// opens a failed run's report and reads its grouped messages. The network is closed here: a fresh
// profile and no background service keep Chromium from reaching out.
// SYNCHRO_SCREENSHOT=docs/dashboard.png also writes the README's screenshot of the grid.
// Then the same state through the CLI as a subprocess: `synchro status` and `synchro report`.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoState } from '../../client/web/demo';
import { startWebServer, type WebServer } from '../../client/web/server';
import { migrate, openDb, type OpenedDb } from '../../db/client';
import { openDatabase } from '../../db/open';
import { browserSuite, chromiumPath } from '../support/chromium';

let database: OpenedDb;
let server: WebServer;
let browser: BrowserContext;
let profile: string;
/** The workflows the "Relancer" button starts: a recording double (the real chain is tested under test/temporal). */
const started: { workflowId: string; args: unknown[] }[] = [];
const temporalClient = {
  workflow: {
    start: (_type: string, options: { workflowId: string; args: unknown[] }) => {
      started.push(options);
      return Promise.resolve({ firstExecutionRunId: 'run-e2e' });
    },
  },
} as unknown as Client;

browserSuite('the dashboard in Chromium', () => {
  beforeAll(async () => {
    database = await openDb({ inMemory: true });
    await migrate(database.db);
    await seedDemoState(database.db);
    server = await startWebServer(
      {
        db: database.db,
        temporal: { client: temporalClient, taskQueue: 'e2e' },
        settings: { web: { host: '127.0.0.1', port: 0, token: 'jeton-e2e' }, temporal: { namespace: 'default' } },
      },
      { port: 0 },
    );
    profile = await mkdtemp(path.join(os.tmpdir(), 'synchro-chromium-'));
    // A persistent context is how playwright takes a user-data-dir of our choosing (a fresh one).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      viewport: { width: 1400, height: 520 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('shows the grid, filters the failures, opens a failed report and reads its grouped messages', async () => {
    const page = await browser.newPage();
    // The demo's sign-in: the admin's one-time link, as `synchro web` prints it.
    const admin = (await server.signInLinks()).find((l) => l.name.startsWith('Administrateur'))!;
    await page.goto(admin.url);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${server.url}/`);
    expect(await page.locator('table.grid tbody tr').count()).toBe(3);
    expect(await page.locator('table.grid thead th').allTextContents()).toEqual([
      'Établissement', 'Académie', 'Millésime', 'STS → EDT', 'SIECLE → PRONOTE', 'EDT → STS', 'STS → SIECLE structure',
      'STS → SIECLE services', 'Élève-groupe', 'LSU base élèves', 'Bilans LSU',
    ]);
    if (process.env.SYNCHRO_SCREENSHOT) await page.screenshot({ path: process.env.SYNCHRO_SCREENSHOT, fullPage: true });

    await page.getByLabel('échecs seulement').check();
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/echecs=1/);
    const rows = await page.locator('table.grid tbody tr').all();
    expect(await Promise.all(rows.map((r) => r.getAttribute('data-uai')))).toEqual(['0382032C', '0750680G']);

    await page.locator('tr[data-uai="0750680G"] td[data-step="pronote-siecle-elegroupe"] a').click();
    await page.waitForURL(/\/runs\/\d+$/);
    expect(await page.locator('h1').textContent()).toMatch(/^Exécution #\d+ — Élève-groupe$/);
    const messages = await Promise.all((await page.locator('table.messages tbody tr').all()).map((r) => r.locator('td').allTextContents()));
    expect(messages).toEqual([
      ['03', 'Erreur', 'GROUPE_A_01', "GROUPE — L'inscription de l'élève dans un groupe est invalide."],
      ['02', 'Avertissement', 'ELEGRP_A_02', "ELEGRP — Les dates d'inscription de l'élève dans un groupe sont invalides."],
    ]);
    expect(await page.locator('section[data-code="GROUPE_A_01"] tbody tr').count()).toBe(3);
    const runId = Number(/\/runs\/(\d+)$/.exec(page.url())![1]);

    await page.getByRole('button', { name: 'Relancer' }).click();
    await page.waitForURL(/\/relancer$/);
    expect(await page.locator('p.notice').textContent()).toContain(`Relance de l'exécution ${runId} démarrée`);
    expect(started).toHaveLength(1);
    expect(started[0]!.workflowId).toMatch(new RegExp(`^rerun/\\w+/\\d+/[a-z-]+/${runId}/1$`));
    await page.close();
  });
});

function synchro(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
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

describe('synchro status and synchro report on the same state', () => {
  it('print the grid as JSON and as text, and a run report with its grouped messages', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-status-'));
    try {
      const opened = await openDatabase({ dataDir });
      await seedDemoState(opened.db);
      await opened.close();

      const json = await synchro(['status', '--json', '--failed'], dataDir);
      expect(json.code).toBe(0);
      const status = JSON.parse(json.stdout) as { schools: { uai: string; name: string; millesime: number; steps: { step: string; status: string | null; anomalies: Record<string, number> | null; updatedAt: string | null; stepRunId: number | null }[] }[] };
      expect(status.schools.map((s) => s.uai)).toEqual(['0382032C', '0750680G']);
      const elegroupe = status.schools[1]!.steps.find((s) => s.step === 'pronote-siecle-elegroupe')!;
      expect(elegroupe).toMatchObject({ status: 'failed', anomalies: { info: 0, warning: 2, error: 3, blocking: 0 } });
      expect(status.schools[1]!.steps).toHaveLength(8);
      expect(elegroupe.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

      const text = await synchro(['status', '--uai', '9830418M'], dataDir);
      expect(text.stdout).toMatch(/STS → SIECLE structure\s+Confirmation attendue/);

      const report = await synchro(['report', String(elegroupe.stepRunId)], dataDir);
      expect(report.code).toBe(2); // the run failed
      expect(report.stdout).toMatch(/03 Erreur\s+GROUPE_A_01 \(GROUPE\)/);
      expect(report.stdout).toContain('élève 2104518 · groupe 2NDE3_ESP2');
      expect(JSON.parse((await synchro(['report', String(elegroupe.stepRunId), '--json'], dataDir)).stdout)).toMatchObject({ counts: { error: 3, warning: 2 } });

      // While another process holds the PGlite folder (as `synchro start` does), status reads through it.
      const holder = await openDatabase({ dataDir });
      try {
        const served = await synchro(['status', '--json', '--failed'], dataDir);
        expect(served.code, served.stderr).toBe(0);
        expect(JSON.parse(served.stdout)).toEqual(status);
      } finally {
        await holder.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000); // six subprocesses, each opening PGlite
});
