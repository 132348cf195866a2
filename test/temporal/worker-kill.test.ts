// A worker killed (SIGKILL) in the middle of SIECLE's night for 20 schools, then a new one: the
// run picks up where it stopped (the day ran on a first worker, killed while steps ran inside
// the school years, then on a second one, gone before the night). Every school ends done, each
// élève-groupe file was deposited and processed exactly once, and no file is lost. The workers
// are real `synchro worker` processes sharing a fresh PostgreSQL database with the test
// (TEST_DATABASE_URL): skipped without one locally, a failure in CI.
import { randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { and, eq, inArray, ne } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { createContentStore, provisionSandboxSchool, type ProvisionedSchool } from '../../connectors';
import { sha256Of } from '../../connectors/content-store';
import { hasWaitingDeposit, type NightReport } from '../../connectors/night';
import { OFFICIAL_NAMES, SchoolFolders } from '../../connectors/school-folders';
import { migrate, openDb, type Db, type OpenedDb } from '../../db/client';
import { listAnomaliesByRun } from '../../db/queries/anomalies';
import { NIGHT_PROCESSING_STEP } from '../../db/queries/deposits';
import { listExchangeFiles } from '../../db/queries/exchange-files';
import { listLatestStepRuns, listStepRuns } from '../../db/queries/step-runs';
import { deposits, stepRuns } from '../../db/schema';
import type { FaultSpec } from '../../generators';
import { uaiCheckLetter } from '../../formats/uai';
import { academy, nightlyEleGroupe, type schoolYear } from '../../workflows';
import { schoolYearWorkflowId } from '../../workflows/ids';
import { YEAR_CHAIN } from '../../workflows/chain';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

const adminUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;
const inCi = Boolean(process.env.CI);
const MISSING_DATABASE = 'TEST_DATABASE_URL is not set: run `export TEST_DATABASE_URL=$(scripts/ci/postgres.sh)` (the workers and the test share a PostgreSQL database)';
if (!adminUrl && !inCi) console.warn(`worker-kill.test.ts skipped: ${MISSING_DATABASE}`);
const suite = adminUrl || inCi ? describe : describe.skip;

// As in academy-sandbox.test.ts: 02/03/2026, SIECLE base 2025 in use in metropolitan France.
const BUSINESS_DATE = '2026-03-02';
const MILLESIME = 2025;
const SCHOOLS = 20;
const STEP = 'pronote-siecle-elegroupe';
/** The night is killed once this many schools are done (of 20, two at a time). */
const KILL_AFTER = 4;
const FINISHED = ['succeeded', 'succeeded-with-anomalies'];
const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

/** Paris collèges 0751001…0751020 (no other test uses them: workflow ids are per UAI), one in three spoiled. */
const PLAN = Array.from({ length: SCHOOLS }, (_, i) => {
  const digits = `07510${String(i + 1).padStart(2, '0')}`;
  const faults: FaultSpec[] = i % 3 === 0 ? [{ kind: i % 2 === 0 ? 'unknown-group' : 'date-outside-calendar' }] : [];
  return { uai: `${digits}${uaiCheckLetter(digits)}`, seed: 100 + i, faults };
});

interface FreshPostgres {
  url: string;
  drop(): Promise<void>;
}

/** A database of its own for this run (as test/db/drivers.ts does), dropped after. */
async function createDatabase(admin: string): Promise<FreshPostgres> {
  const sql = postgres(admin, { max: 1, onnotice: () => undefined });
  const name = `synchro_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  try {
    await sql.unsafe(`create database "${name}"`);
  } catch (error) {
    await sql.end({ timeout: 5 });
    throw error;
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}


/** Activity types of a workflow that needed more than one attempt (Temporal records the last attempt's start). */
async function retriedActivities(handle: WorkflowHandle): Promise<string[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  const typeOf = new Map(events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => [String(e.eventId), e.activityTaskScheduledEventAttributes!.activityType?.name ?? '?']));
  return events
    .filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1)
    .map((e) => typeOf.get(String(e.activityTaskStartedEventAttributes!.scheduledEventId)) ?? '?');
}

async function nightsDone(db: Db, uais: string[]): Promise<number> {
  const runs = await listStepRuns(db, { step: STEP, millesime: MILLESIME });
  return new Set(runs.filter((r) => uais.includes(r.uai) && FINISHED.includes(r.status)).map((r) => r.uai)).size;
}

suite('a worker killed in the middle of the night', () => {
  let database: FreshPostgres | undefined;
  let opened: OpenedDb | undefined;
  let connection: Connection | undefined;
  let client: Client;
  let dataDir: string | undefined;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    if (!adminUrl) throw new Error(`${MISSING_DATABASE}. CI is set, so this test must run, not be skipped.`);
    database = await createDatabase(adminUrl);
    opened = await openDb({ databaseUrl: database.url, maxConnections: 3 });
    await migrate(opened.db);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-worker-kill-'));
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection, namespace: inject('temporalNamespace') });
  });

  afterAll(async () => {
    // Every step even when an earlier one fails: no worker left behind, no database, no folder.
    const steps: (() => Promise<unknown> | undefined)[] = [
      () => Promise.all(workers.map((w) => w.kill())),
      () => connection?.close(),
      () => opened?.close(),
      () => database?.drop(),
      () => (dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined),
    ];
    const errors: unknown[] = [];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  });

  it('ends every school done, with exactly one deposit each and no file lost, after a new worker takes over', async () => {
    onTestFailed(() => {
      for (const [i, w] of workers.entries()) console.error(`worker #${i + 1} (pid ${w.pid}) printed:\n${w.output().slice(-4000)}`);
    });
    const db = opened!.db;
    const dir = dataDir!;
    const taskQueue = `worker-kill-${randomUUID()}`;
    const env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      SYNCHRO_DATA_DIR: dir,
      DATABASE_URL: database!.url,
      LOG_LEVEL: 'warn',
    };
    const startWorker = async (more: { SYNCHRO_PARSED_CACHE_MB?: string } = {}): Promise<WorkerProcess> => {
      const worker = await startWorkerProcess({ ...env, ...more });
      workers.push(worker);
      return worker;
    };
    // The first worker builds its workflow bundle while the schools are generated.
    const firstWorker = startWorker();
    firstWorker.catch(() => undefined); // awaited below; a provisioning error must not leave it unhandled
    const schools: ProvisionedSchool[] = [];
    for (const s of PLAN) {
      schools.push(await provisionSandboxSchool({ dataDir: dir, db, uai: s.uai, kind: 'college', millesime: MILLESIME, seed: s.seed, faults: s.faults }));
    }
    const uais = schools.map((s) => s.uai);
    const spoiled = new Set(schools.filter((s) => s.injected.some((f) => f.file === 'elegroupe')).map((s) => s.uai));
    expect(spoiled.size).toBe(PLAN.filter((p) => p.faults.length > 0).length);
    const dayWorker = await firstWorker;

    // The day: every school's year up to its élève-groupe deposit, which waits for SIECLE's night.
    const year = await client.workflow.start(academy, {
      taskQueue,
      workflowId: `academie/WORKER-KILL/${randomUUID()}`,
      args: [{ academie: 'WORKER-KILL', kind: 'year', millesime: MILLESIME, businessDate: BUSINESS_DATE, uais, concurrency: SCHOOLS, confirmAutomatically: true }],
    });
    // The first worker dies while steps run inside the years (local activities: their rows name
    // the year's workflow); a second day worker takes the years over once their workflow tasks
    // time out and runs those steps again, on the same rows.
    const years = uais.map((uai) => schoolYearWorkflowId(uai, MILLESIME));
    const runningInYears = async (): Promise<number[]> =>
      (await db.select({ id: stepRuns.id }).from(stepRuns).where(and(inArray(stepRuns.workflowId, years), ne(stepRuns.step, STEP), eq(stepRuns.status, 'running')))).map((r) => r.id);
    await waitFor('a step running inside a school year', async () => ((await runningInYears()).length > 0 ? true : undefined), 60_000, 10);
    await dayWorker.kill();
    const interrupted = await runningInYears();
    console.log(`worker #1 killed with ${interrupted.length} step(s) running inside a school year`);
    expect(interrupted.length).toBeGreaterThan(0);
    const takeOver = await startWorker();

    await waitFor('the 20 élève-groupe deposits', async () => {
      const waiting = await Promise.all(uais.map((uai) => hasWaitingDeposit(db, dir, uai, MILLESIME)));
      return waiting.every(Boolean) ? true : undefined;
    }, 150_000);
    expect(await nightsDone(db, uais)).toBe(0);
    const resumed = await db.select({ id: stepRuns.id, status: stepRuns.status }).from(stepRuns).where(inArray(stepRuns.id, interrupted));
    for (const r of resumed) expect(FINISHED, `step run ${r.id}, interrupted by the kill`).toContain(r.status);

    // The night runs on a worker started for it (the day's workers are gone, as after a restart in
    // the evening) that keeps no parsed files on disk: it finds none of the day's reads, so each
    // processing parses the school's files, 200 ms to 1 s here (a worker that finds them, in its
    // memory or in the data dir's cache, is much quicker, too quick for the kill below to land
    // inside a processing).
    await takeOver.kill();
    const nightWorker = await startWorker({ SYNCHRO_PARSED_CACHE_MB: '0' });

    // The night, two lanes of batches (10 and 5 schools, then smaller ones: nightly-elegroupe.ts
    // batchLane). The night's worker dies once a few schools are done, while a batch is processed:
    // some of its schools are done, the others not, so its retry must finish those and find the
    // others claimed (each school processed exactly once).
    const night = await client.workflow.start(nightlyEleGroupe, {
      taskQueue,
      workflowId: `nightly-elegroupe/${BUSINESS_DATE}/${randomUUID()}`,
      args: [{ night: BUSINESS_DATE, uais, concurrency: 2 }],
    });
    await waitFor(`${KILL_AFTER} schools processed`, async () => ((await nightsDone(db, uais)) >= KILL_AFTER ? true : undefined), 60_000, 20);
    await waitFor('a batch being processed', async () => {
      const { raw } = await night.describe();
      const busy = (raw.pendingActivities ?? []).some((a) => a.activityType?.name === 'processNightBatch' && a.state === STARTED);
      return busy ? true : undefined;
    }, 60_000, 10);
    await nightWorker.kill();
    const doneAfterKill = await nightsDone(db, uais);
    console.log(`the night's worker killed with ${doneAfterKill} of ${SCHOOLS} schools done`);
    expect(doneAfterKill).toBeGreaterThan(0);
    expect(doneAfterKill).toBeLessThan(SCHOOLS);

    // The last worker, on the same task queue, finishes the night (the processing killed is
    // retried once its heartbeat times out), then the school years.
    await startWorker();
    const nightResult = await night.result();
    expect(await retriedActivities(night), 'the kill interrupted a batch, retried by the last worker').toContain('processNightBatch');
    expect(nightResult.outcomes.map((o) => [o.uai, o.processed])).toEqual([...uais].sort().map((uai) => [uai, true]));
    for (const o of nightResult.outcomes) expect(o.status, o.uai).toBe(spoiled.has(o.uai) ? 'succeeded-with-anomalies' : 'succeeded');
    expect(await year.result()).toMatchObject({ succeeded: SCHOOLS, failed: 0 });

    const store = createContentStore(dir);
    const allDeposits = await db.select().from(deposits);
    for (const uai of uais) {
      // The school's year is over, every step finished, none left running.
      const result = await client.workflow.getHandle<typeof schoolYear>(schoolYearWorkflowId(uai, MILLESIME)).result();
      expect(result.steps.map((s) => s.step).sort(), uai).toEqual(YEAR_CHAIN.map((s) => s.step).sort());
      for (const s of result.steps) expect(FINISHED, `${uai} ${s.step}`).toContain(s.status);
      const latest = Object.fromEntries((await listLatestStepRuns(db, { uai, millesime: MILLESIME })).map((r) => [r.step, r]));
      for (const { step } of YEAR_CHAIN) expect(FINISHED, `${uai} ${step}`).toContain(latest[step]?.status);
      expect(latest[STEP]!.status, uai).toBe(spoiled.has(uai) ? 'succeeded-with-anomalies' : 'succeeded');
      const runs = await listStepRuns(db, { uai, millesime: MILLESIME });
      expect(runs.filter((r) => !FINISHED.includes(r.status)).map((r) => `${r.step} ${r.status}`), uai).toEqual([]);
      expect(runs.filter((r) => r.step === STEP), uai).toHaveLength(1);

      // Exactly one deposit per step, one élève-groupe deposit and one night processing of that same file.
      const mine = allDeposits.filter((d) => d.uai === uai);
      const perStep = new Map<string, number>();
      for (const d of mine) perStep.set(d.step, (perStep.get(d.step) ?? 0) + 1);
      for (const [step, count] of perStep) expect(count, `${uai} ${step}`).toBe(1);
      const deposit = mine.find((d) => d.step === STEP);
      const processing = mine.find((d) => (d.step as string) === NIGHT_PROCESSING_STEP);
      expect(deposit, uai).toBeDefined();
      expect(processing?.inputSha256, uai).toBe(deposit!.inputSha256);
      expect(await hasWaitingDeposit(db, dir, uai, MILLESIME), uai).toBe(false);

      // No file lost: the file PRONOTE exported is in the store, in SIECLE's outbox (once), and
      // SIECLE's own compte-rendu of it is there, written by this night.
      const folders = new SchoolFolders(dir, uai);
      const [stored, ...others] = await listExchangeFiles(db, { uai, millesime: MILLESIME, kind: 'elegroupe' });
      expect(others, uai).toEqual([]);
      expect(stored?.sha256, uai).toBe(deposit!.inputSha256);
      expect(sha256Of(await store.get({ key: stored!.storageKey })), uai).toBe(stored!.sha256);
      const outbox = await folders.list('siecle', 'outbox', OFFICIAL_NAMES.eleGroupe);
      expect(outbox.map((f) => f.name), uai).toEqual([stored!.originalName]);
      expect(sha256Of(await readFile(outbox[0]!.path)), uai).toBe(stored!.sha256);
      const reports = (await readdir(folders.dir('siecle', 'reports'))).filter((n) => n.endsWith('.json'));
      expect(reports, uai).toEqual([`compte-rendu-${stored!.originalName.replace(/\.zip$/i, '')}.json`]);
      const report = JSON.parse(await readFile(folders.path('siecle', 'reports', reports[0]!), 'utf8')) as NightReport;
      expect({ sha256: report.sha256, night: report.night }, uai).toEqual({ sha256: stored!.sha256, night: BUSINESS_DATE });

      // The compte-rendu reached the step run once (a retried processing adds nothing), with the injected faults.
      const run = latest[STEP]!;
      const rows = await listAnomaliesByRun(db, run.id);
      expect(rows.length, uai).toBe(run.infoCount + run.warningCount + run.errorCount + run.blockingCount);
      const times = (list: { code: string; message: string }[], a: { code: string; message: string }): number => list.filter((b) => b.code === a.code && b.message === a.message).length;
      for (const a of report.anomalies) expect(times(rows, a), `${uai} ${a.code}`).toBe(times(report.anomalies, a));
      const school = schools.find((x) => x.uai === uai)!;
      for (const f of school.injected.filter((x) => x.file === 'elegroupe')) expect(rows.map((r) => r.code), uai).toContain(f.code);
    }
  }, 330_000);
});
