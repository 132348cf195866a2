// The dashboard in a real browser: Debian's headless Chromium driven by playwright-core, on the
// demo fixture (the rows a real run of the demo académie left) served by the real HTTP server.
// Opens the grid, keeps the failures, opens a failed run's report and reads its grouped messages. The network is closed here: a fresh
// profile and no background service keep Chromium from reaching out.
// SYNCHRO_SCREENSHOT=docs/dashboard.png also writes the README's screenshot of the grid.
// Then the same state through the CLI as a subprocess: `synchro status` and `synchro report`.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoFixture } from '../../client/web/demo-fixture';
import { startWebServer, type WebServer } from '../../client/web/server';
import { migrate, openDb, type OpenedDb } from '../../db/client';
import { openDatabase } from '../../db/open';
import { listStepRuns, setStepStatus } from '../../db/queries/step-runs';
import { browserSuite, CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import { dataDirEnv, runCli } from '../support/cli';

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
    await loadDemoFixture(database.db);
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
      args: [...CHROMIUM_ARGS],
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

    // The demo's run ended with nothing failed: SIECLE's night refusing Nouvelle-Calédonie's
    // élève-groupe file is a state the chain reaches, set after the screenshot.
    const [elegroupe] = await listStepRuns(database.db, { uai: '9830418M', step: 'pronote-siecle-elegroupe' });
    await setStepStatus(database.db, elegroupe!.id, 'failed');
    await page.getByLabel('échecs seulement').check();
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/echecs=1/);
    const rows = await page.locator('table.grid tbody tr').all();
    expect(await Promise.all(rows.map((r) => r.getAttribute('data-uai')))).toEqual(['9830418M']);

    await page.locator('tr[data-uai="9830418M"] td[data-step="pronote-siecle-elegroupe"] a').click();
    await page.waitForURL(/\/runs\/\d+$/);
    expect(await page.locator('h1').textContent()).toMatch(/^Exécution #\d+ — Élève-groupe$/);
    const messages = await Promise.all((await page.locator('table.messages tbody tr').all()).map(async (r) => (await r.locator('td').allTextContents()).slice(0, 3)));
    // The faults the generator injected, as SIECLE words them: an unknown group, two dates outside the calendar.
    expect(messages).toEqual([
      ['01', 'Avertissement', 'ELEGRP_A_03'],
      ['01', 'Avertissement', 'GROUPE_A_01'],
      ['01', 'Avertissement', 'ELEGRP_A_02'],
      ['01', 'Informatif', 'CODE_GROUPE_LONG'],
    ]);
    expect(await page.locator('section[data-code="GROUPE_A_01"] tbody tr').count()).toBe(1);
    const runId = Number(/\/runs\/(\d+)$/.exec(page.url())![1]);

    await page.getByRole('button', { name: 'Relancer' }).click();
    await page.waitForURL(/\/relancer$/);
    expect(await page.locator('p.notice').textContent()).toContain(`Relance de l'exécution ${runId} démarrée`);
    expect(started).toHaveLength(1);
    expect(started[0]!.workflowId).toMatch(new RegExp(`^rerun/\\w+/\\d+/[a-z-]+/${runId}/1$`));
    await page.close();
  });
});

const synchro = (args: string[], dataDir: string): ReturnType<typeof runCli> => runCli(args, dataDirEnv(dataDir));

describe('synchro status and synchro report on the same state', () => {
  it('print the grid as JSON and as text, and a run report with its grouped messages', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-status-'));
    try {
      const opened = await openDatabase({ dataDir });
      await loadDemoFixture(opened.db);
      await opened.close();

      const json = await synchro(['status', '--json'], dataDir);
      expect(json.code).toBe(0);
      const status = JSON.parse(json.stdout) as { schools: { uai: string; name: string; millesime: number; steps: { step: string; status: string | null; anomalies: Record<string, number> | null; updatedAt: string | null; stepRunId: number | null }[] }[] };
      expect(status.schools.map((s) => s.uai).sort()).toEqual(['0660864F', '0750680G', '9830418M']);
      const paris = status.schools.find((s) => s.uai === '0750680G')!;
      const elegroupe = paris.steps.find((s) => s.step === 'pronote-siecle-elegroupe')!;
      expect(elegroupe).toMatchObject({ status: 'succeeded-with-anomalies', anomalies: { info: 1, warning: 1, error: 0, blocking: 0 } });
      expect(paris.steps).toHaveLength(8);
      expect(elegroupe.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

      const text = await synchro(['status', '--uai', '9830418M'], dataDir);
      expect(text.stdout).toMatch(/STS → SIECLE structure\s+Réussie/);

      const report = await synchro(['report', String(elegroupe.stepRunId)], dataDir);
      expect(report.stdout).toMatch(/01 Avertissement\s+GROUPE_A_01 \(GROUPE\)/);
      expect(report.stdout).toContain('groupe MPERMANGR2');
      expect(JSON.parse((await synchro(['report', String(elegroupe.stepRunId), '--json'], dataDir)).stdout)).toMatchObject({ counts: { info: 1, warning: 1 } });

      // While another process holds the PGlite folder (as `synchro start` does), status reads through it.
      const holder = await openDatabase({ dataDir });
      try {
        const served = await synchro(['status', '--json'], dataDir);
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
