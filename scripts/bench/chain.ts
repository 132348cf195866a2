// Benchmarks of the chain on Temporal at an académie's and a nation's scale: the real workflows
// and activities, sandbox schools, a fresh embedded Temporal server (in memory) per run.
// (a) The school year of an académie (500 schools by default, 2,000 with BENCH_CHAIN_SCHOOLS),
// SIECLE's nights included: target 500 schools < 150 s. (b) SIECLE's night for 10,000 schools
// whose élève-groupe deposit waits: target ≥ 30 schools/s (10,000 < 6 min). The deposits that
// prepare the night (each school's élève-groupe step, by the real stepRun workflow) are timed
// apart. Figures are printed beside the targets; nothing is asserted.
//
// With a PostgreSQL server (BENCH_DATABASE_URL, else TEST_DATABASE_URL) each phase runs once per
// entry of BENCH_WORKERS (default "1,2") with that many real `synchro worker` processes, each run
// on a hard-link copy of the same provisioned folder (every write of the chain goes through a
// temporary file and a rename, so a copy never changes the original) and a fresh database; the
// runs are printed side by side. Without PostgreSQL, one worker in this process on PGlite in memory
// (several processes cannot share an in-memory PGlite).
//
// Setup (chain/setup.ts, chain/provision.ts): a dozen template schools made by the real sandbox,
// every bench school a copy of one with its own UAI; printed with its rate.
//
// The académie's window fills with schools whose élève-groupe deposit waits for the night, so the
// bench plays SIECLE's night each time the window is full of waiting deposits (or nothing moves any
// more): several nights for 500 schools and a window of 100, as in real life.
//
// Sizes and settings (env): BENCH_CHAIN_SCHOOLS (500), BENCH_NIGHT_SCHOOLS (10000), BENCH_WORKERS
// ("1,2"), BENCH_DATABASE_URL, BENCH_CHAIN_CONCURRENCY (académie window, 100), BENCH_CHAIN_LYCEE_EVERY
// (every n-th school is a lycée, 4; 0 = collèges only), BENCH_NIGHT_CONCURRENCY (20),
// BENCH_ACTIVITY_SLOTS (activities per worker, 20), BENCH_PROVISION_PROCESSES (cores),
// BENCH_CHAIN_TIMEOUT_MIN (60 per run), BENCH_NIGHT_COLD (1: the night's SIECLE exports not read
// before it, see chain/warm.ts), MALLOC_ARENA_MAX (for the worker processes, 2 by default as the
// README advises, see chain/processes.ts). LOG_LEVEL defaults to warn.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { and, count, eq, inArray, isNotNull } from 'drizzle-orm';
import { createActivities, type Activities } from '../../activities';
import { startEmbeddedServer } from '../../client/temporal/embedded-server';
import type { Db } from '../../db/client';
import { NIGHT_PROCESSING_STEP } from '../../db/queries/deposits';
import { deposits, stepRuns, type StepRun } from '../../db/schema';
import { uaiCheckLetter } from '../../formats/uai';
import { PREBUILT_BUNDLE_PATH, workflowBundle } from '../../worker/bundle';
import { createWorkerDependencies } from '../../worker/dependencies';
import { createLogger, installTemporalRuntime } from '../../worker/logger';
import { createWorker } from '../../worker/worker';
import { YEAR_CHAIN } from '../../workflows/chain';
import type { StepId } from '../../workflows/steps';
import { schoolYearWorkflowId, stepWorkflowId } from '../../workflows/ids';
import { schoolYearEnds } from '../../rules/calendar';
import { academy, nightlyEleGroupe, stepRun } from '../../workflows/index';
import type { BenchModule } from '../bench.js';
import { benchServerUrl, displayUrl, freshDatabase } from './chain/database';
import { findServerPid, sampleProcesses, startWorkerProcess, THREAD_KINDS, WORKER_MALLOC_ARENA_MAX, type SampledFigures, type ThreadKind } from './chain/processes';
import { BENCH_MILLESIME as MILLESIME, type Needs } from './chain/provision';
import { provisionSchools, registerSchools, type BenchSchool } from './chain/setup';
import { pool } from './chain/pool';
import { warmNightExports } from './chain/warm';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUSINESS_DATE = '2026-03-02';
const ELEGROUPE = 'pronote-siecle-elegroupe' as const;
const POLL_MS = 1_000;
/** Deposits wait but nothing has moved for this long: play the night anyway (a school failed early). */
const STALL_MS = 15_000;
/** Metropolitan départements: 10,000 bench UAIs each. */
const DEPARTMENTS = ['075', '069', '013', '033', '059', '093', '031'];
const NIGHT_UAI_OFFSET = 30_000;
/** The issue's targets: the year of 500 schools in < 150 s; the night at ≥ 30 schools/s. */
const YEAR_TARGET = { schools: 500, seconds: 150 };
const NIGHT_TARGET_PER_S = 30;

interface Settings {
  chainSchools: number;
  nightSchools: number;
  window: number;
  lyceeEvery: number;
  nightConcurrency: number;
  activitySlots: number;
  provisioners: number;
  timeoutMs: number;
  /** BENCH_NIGHT_COLD=1: the night's SIECLE exports not read before the night (see chain/warm.ts). */
  nightCold: boolean;
  /** Worker processes per run, one run each (PostgreSQL); [1] in-process on PGlite. */
  workers: number[];
  serverUrl?: string;
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} : entier positif attendu, pas « ${raw} ».`);
  return value;
}

function workerCounts(raw: string | undefined): number[] {
  const counts = (raw ?? '1,2').split(',').map((v) => v.trim()).filter((v) => v !== '').map(Number);
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) throw new Error(`BENCH_WORKERS : nombres de workers de 1 à 8 séparés par des virgules attendus, pas « ${raw ?? ''} ».`);
  return counts;
}

function settingsFromEnv(): Settings {
  const serverUrl = benchServerUrl();
  return {
    chainSchools: envInt('BENCH_CHAIN_SCHOOLS', 500),
    nightSchools: envInt('BENCH_NIGHT_SCHOOLS', 10_000),
    window: Math.max(1, envInt('BENCH_CHAIN_CONCURRENCY', 100)),
    lyceeEvery: envInt('BENCH_CHAIN_LYCEE_EVERY', 4),
    nightConcurrency: Math.max(1, envInt('BENCH_NIGHT_CONCURRENCY', 20)),
    activitySlots: Math.max(1, envInt('BENCH_ACTIVITY_SLOTS', 20)),
    provisioners: Math.max(1, envInt('BENCH_PROVISION_PROCESSES', availableParallelism())),
    timeoutMs: envInt('BENCH_CHAIN_TIMEOUT_MIN', 60) * 60_000,
    nightCold: process.env.BENCH_NIGHT_COLD === '1',
    workers: serverUrl ? workerCounts(process.env.BENCH_WORKERS) : [1],
    ...(serverUrl && { serverUrl }),
  };
}

/** What the worker processes' environment adds to the settings line (none in-process, on PGlite). */
const workerEnvironment = (settings: Settings): string => (settings.serverUrl ? `, MALLOC_ARENA_MAX=${WORKER_MALLOC_ARENA_MAX} pour les workers` : '');

/** A valid, distinct metropolitan UAI for each index. */
function benchUai(index: number): string {
  const department = DEPARTMENTS[Math.floor(index / 10_000)];
  if (!department) throw new Error(`Trop d'établissements pour le banc : ${index}.`);
  const seven = `${department}${String(index % 10_000).padStart(4, '0')}`;
  return `${seven}${uaiCheckLetter(seven)}`;
}

// ---------------------------------------------------------------------------------------------
// Measuring helpers.

function stats(values: number[]): { mean: number; median: number; p95: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { mean: sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1), median: at(0.5), p95: at(0.95), n: sorted.length };
}

function fmtStats(values: number[]): string {
  const s = stats(values);
  const ms = (v: number): string => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`);
  return `moyenne ${ms(s.mean)}, médiane ${ms(s.median)}, p95 ${ms(s.p95)} (${s.n})`;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;


type Row = [label: string, value: string];

const mbText = (mb: number): string => `${mb} Mo`;

/** The sampled processes, one row each (peak RSS, CPU time and the cores it kept busy on average). */
function sampledRows(f: SampledFigures): Row[] {
  const wall = f.wallMs / 1000;
  const cpu = (seconds: number): string => `CPU ${seconds.toFixed(0)} s (${(seconds / wall).toFixed(2)} cœur)`;
  const rows: Row[] = f.processes.map((p) => [p.label, `RSS max ${mbText(p.peakRssMb)}${p.label.startsWith('worker') || p.label.startsWith('banc (worker') ? ' [cible < 1 Go]' : ''}, ${cpu(p.cpuSeconds)}`]);
  if (f.postgres) rows.push(['PostgreSQL (connexions de la base du banc)', `RSS max ${mbText(f.postgres.peakRssMb)} (privée Σ + partagée, ${f.postgres.backends} connexions), ${cpu(f.postgres.cpuSeconds)}`]);
  if (f.machineCores !== undefined) rows.push(['machine entière (tous processus, partagée)', `${f.machineCores.toFixed(2)} cœurs occupés sur ${availableParallelism()}`]);
  return rows;
}

const THREAD_LABELS: Record<ThreadKind, string> = { main: 'principal', parse: 'lecture', core: 'Temporal Core', other: 'autres (GC et compilation V8, workflows, libuv)' };

/**
 * CPU seconds of the worker processes (or of the in-process worker) per unit of work: what one core
 * carries; then the same by kind of thread, where that CPU goes.
 */
function workerCpuPer(f: SampledFigures, units: number, unit: string): Row[] {
  const workers = f.processes.filter((p) => p.label.startsWith('worker') || p.label.startsWith('banc (worker'));
  const cpu = workers.reduce((s, p) => s + p.cpuSeconds, 0);
  const rows: Row[] = [[`CPU des workers par ${unit}`, units > 0 ? `${((cpu * 1000) / units).toFixed(0)} ms (1 cœur ≈ ${(units / cpu).toFixed(1)} ${unit}s/s)` : '—']];
  if (units > 0 && workers.some((p) => p.threads)) {
    const ms = (kind: ThreadKind): string => `${THREAD_LABELS[kind]} ${((workers.reduce((s, p) => s + (p.threads?.[kind] ?? 0), 0) * 1000) / units).toFixed(0)} ms`;
    rows.push([`  … par fil (par ${unit})`, THREAD_KINDS.map(ms).join(', ')]);
  }
  return rows;
}

function printRows(indent: string, rows: Row[]): void {
  for (const [label, value] of rows) console.log(`${indent}${label} : ${value}`);
}

/** One table, a column per run: every label met, in the order first met. */
function printSideBySide(title: string, runs: { workers: number; rows: Row[] }[]): void {
  // The run with the most rows (the most workers) gives the order; the others' extra rows follow.
  const labels: string[] = [];
  for (const r of [...runs].sort((a, b) => b.rows.length - a.rows.length)) for (const [label] of r.rows) if (!labels.includes(label)) labels.push(label);
  const headers = runs.map((r) => `${r.workers} worker${r.workers > 1 ? 's' : ''}`);
  const values = runs.map((r) => new Map(r.rows));
  const width = Math.max(...labels.map((l) => l.length), title.length);
  const cols = headers.map((h, i) => Math.max(h.length, ...labels.map((l) => (values[i]!.get(l) ?? '—').length)));
  console.log(`  ${title.padEnd(width)} | ${headers.map((h, i) => h.padEnd(cols[i]!)).join(' | ')}`);
  console.log(`  ${'-'.repeat(width)}-+-${cols.map((c) => '-'.repeat(c)).join('-+-')}`);
  for (const label of labels) console.log(`  ${label.padEnd(width)} | ${values.map((v, i) => (v.get(label) ?? '—').padEnd(cols[i]!)).join(' | ')}`);
}

/** An error with its causes (drizzle's « Failed query » hides the driver's reason in `cause`). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && parts.length < 4; e = e instanceof Error ? e.cause : undefined) parts.push(e instanceof Error ? e.message.split('\n')[0]! : JSON.stringify(e));
  return parts.join(' ← ');
}

/**
 * The bench's own polling of the database, retried for a minute: the workers ride out a
 * PostgreSQL restart (Temporal retries their activities), and the bench measuring them must too.
 */
async function polled<T>(query: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await query();
    } catch (error) {
      if (attempt >= 60) throw error;
      if (attempt === 1) console.log(`    (base injoignable pour le banc, nouvel essai chaque seconde : ${describeError(error)})`);
      await sleep(1_000);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A run: a copy of the provisioned folder, a fresh database, a fresh Temporal server, N workers.

interface RunContext {
  client: Client;
  taskQueue: string;
  db: Db;
  /** The activities built in the bench process (on the run's db and folder), for the timed listQueuedDeposits. */
  activities: Activities;
  workers: number;
  /** Starts sampling the run's processes (workers, Temporal, PostgreSQL, the bench). */
  sample(): { stop(): Promise<SampledFigures> };
  /** A workflow whose result the bench awaits: terminated if the run is interrupted. */
  track(handle: { terminate(reason?: string): Promise<unknown> }): void;
}

const execFileAsync = promisify(execFile);

/** The bundle every worker process loads (SYNCHRO_PREBUILT_BUNDLE=1), written as `npm run build` does. */
async function writePrebuiltBundle(): Promise<void> {
  const bundle = await workflowBundle();
  await mkdir(dirname(PREBUILT_BUNDLE_PATH), { recursive: true });
  await writeFile(PREBUILT_BUNDLE_PATH, bundle.code);
  await writeFile(`${PREBUILT_BUNDLE_PATH}.map`, bundle.sourceMap);
}

/** A worker's warning line (pino JSON) as its message and origin, else as it came. */
function warningText(line: string | undefined): string {
  try {
    const { msg, target, workflowType } = JSON.parse(line ?? '') as { msg?: string; target?: string; workflowType?: string };
    if (msg) return [msg, target, workflowType].filter(Boolean).join(' — ').slice(0, 300);
  } catch {
    // Not JSON: as it came.
  }
  return (line ?? '').slice(0, 300);
}

interface Workers {
  processes: { label: string; pid: number; threads?: boolean }[];
  /** Rejects when a worker stops on its own. */
  aborted: Promise<never>;
  stop(): Promise<void>;
  warnings(): number;
  /** The first warning line (its kind), if any. */
  firstWarning(): string | undefined;
}

async function startWorkers(settings: Settings, server: { address: string; namespace: string }, taskQueue: string, dataDir: string, db: Db, url: string | undefined, count: number): Promise<Workers> {
  if (url) {
    const started = await Promise.allSettled(Array.from({ length: count }, (_, k) => startWorkerProcess({
      root: ROOT, temporalAddress: server.address, namespace: server.namespace, taskQueue, databaseUrl: url, dataDir, maxActivities: settings.activitySlots, label: `worker ${k + 1}`,
    })));
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.stop()));
      throw failed.reason;
    }
    return {
      processes: workers.map((w) => ({ label: w.label, pid: w.pid, threads: true })),
      aborted: Promise.race(workers.map((w) => w.exited)),
      stop: async () => void (await Promise.all(workers.map((w) => w.stop()))),
      warnings: () => workers.reduce((s, w) => s + w.stderrLines(), 0),
      firstWarning: () => workers.map((w) => w.firstStderrLine()).find((l) => l !== undefined),
    };
  }
  // PGlite in memory lives in this process: the worker too.
  const native = await NativeConnection.connect({ address: server.address });
  const worker = await createWorker({ connection: native, namespace: server.namespace, taskQueue, activities: createActivities(createWorkerDependencies({ dataDir }, db)), maxConcurrentActivityTaskExecutions: settings.activitySlots });
  let stopping = false;
  const running = worker.run();
  const aborted = running.then((): never => {
    throw new Error(stopping ? 'worker arrêté' : 'Le worker du banc s\'est arrêté en cours de mesure.');
  });
  aborted.catch(() => undefined);
  return {
    processes: [{ label: 'banc (worker + PGlite + client)', pid: process.pid, threads: true }],
    aborted,
    stop: async () => {
      stopping = true;
      worker.shutdown();
      await running.catch(() => undefined);
      await native.close();
    },
    warnings: () => 0,
    firstWarning: () => undefined,
  };
}

/**
 * A phase: the schools provisioned once, then one run per worker count on a copy of them, each
 * printed as it ends, then all of them side by side.
 */
async function runPhase(label: string, schools: BenchSchool[], needs: Needs, seedBase: number, settings: Settings, body: (ctx: RunContext) => Promise<Row[]>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), `synchro-bench-${label}-`));
  try {
    const master = join(root, 'master');
    const p = await provisionSchools({ dataDir: master, templatesDir: join(root, 'templates'), schools, needs, processes: settings.provisioners, seedBase });
    const setupMs = p.templatesMs + p.copiesMs;
    console.log(`  approvisionnement : ${seconds(setupMs)}, ${(schools.length / (setupMs / 1000)).toFixed(0)} établissements/s — ${p.templates} modèles générés par le bac à sable en ${seconds(p.templatesMs)} (${settings.provisioners} processus), ${schools.length} copies en ${seconds(p.copiesMs)} (${(schools.length / (p.copiesMs / 1000)).toFixed(0)}/s, ${(p.bytes / 1024 / 1024).toFixed(0)} Mo${needs === 'night' ? ', fichiers de la nuit seulement' : ''})`);
    if (needs === 'night' && !settings.nightCold) {
      const warm = await warmNightExports(master, schools.map((s) => s.uai), 2 * availableParallelism());
      console.log(`  exports SIECLE lus avant la nuit (par l'étape SIECLE → PRONOTE dans l'année ; BENCH_NIGHT_COLD=1 : non) : ${warm.files} fichiers en ${seconds(warm.ms)}, ${(schools.length / (warm.ms / 1000)).toFixed(0)} établissements/s, gardés dans le cache des fichiers lus du jeu`);
    } else if (needs === 'night') console.log("  exports SIECLE non lus avant la nuit (BENCH_NIGHT_COLD=1) : la nuit lit chaque export des élèves elle-même");
    // Each run adds its content store and outboxes (about as much again as the inboxes it reads).
    const disk = await statfs(root);
    const freeMb = (disk.bavail * disk.bsize) / 1024 / 1024;
    const neededMb = (2 * p.bytes) / 1024 / 1024;
    console.log(`  disque : ${(freeMb / 1024).toFixed(0)} Go libres sous ${tmpdir()}, ~${(neededMb / 1024).toFixed(1)} Go par exécution${freeMb < neededMb * 1.2 ? ' — ⚠ trop juste' : ''}`);
    const runs: { workers: number; rows: Row[] }[] = [];
    for (const workers of settings.workers) {
      const mode = settings.serverUrl ? `${workers} processus « synchro worker » (${settings.activitySlots} créneaux d'activités chacun), PostgreSQL` : `1 worker dans le processus du banc (${settings.activitySlots} créneaux d'activités), PGlite en mémoire`;
      console.log(`  — ${mode}`);
      const dataDir = join(root, `run-${workers}`);
      const c0 = performance.now();
      // Hard links: nothing of the chain writes a file in place (temporary file + rename).
      await execFileAsync('cp', ['-al', master, dataDir]);
      const copyMs = performance.now() - c0;
      const r0 = performance.now();
      const database = await freshDatabase(settings.serverUrl);
      try {
        await registerSchools(database.db, schools, p.names);
        console.log(`    copie du jeu (cp -al) ${seconds(copyMs)} ; base ${database.driver} neuve, migrée, ${schools.length} établissements inscrits (bac à sable) en ${seconds(performance.now() - r0)}`);
        const server = await startEmbeddedServer();
        const connection = await Connection.connect({ address: server.address });
        let settled = true;
        try {
          const client = new Client({ connection, namespace: server.namespace });
          const taskQueue = `bench-chain-${randomUUID()}`;
          const w0 = performance.now();
          const started = await startWorkers(settings, server, taskQueue, dataDir, database.db, database.url, workers);
          console.log(`    serveur Temporal neuf ; worker(s) prêt(s) en ${seconds(performance.now() - w0)}`);
          const serverPid = findServerPid();
          const watched = [...started.processes, ...(serverPid ? [{ label: 'serveur Temporal', pid: serverPid }] : []), ...(settings.serverUrl ? [{ label: 'banc (client, sondage)', pid: process.pid }] : [])];
          const tracked: { terminate(reason?: string): Promise<unknown> }[] = [];
          const ctx: RunContext = {
            client, taskQueue, db: database.db, workers,
            activities: createActivities(createWorkerDependencies({ dataDir }, database.db)),
            sample: () => sampleProcesses(watched, database.backendPids),
            track: (handle) => void tracked.push(handle),
          };
          const measuring = body(ctx);
          measuring.catch(() => undefined);
          try {
            const rows = await Promise.race([measuring, started.aborted]);
            if (started.warnings() > 0) console.log(`    (${started.warnings()} ligne(s) d'avertissement des workers sur stderr ; la première : ${warningText(started.firstWarning())})`);
            runs.push({ workers, rows });
          } catch (error) {
            // A run that times out or loses a worker is reported, and the next run still happens.
            const message = describeError(error);
            console.log(`    ✗ exécution interrompue : ${message}`);
            runs.push({ workers, rows: [['interrompue', message.slice(0, 120)]] });
            // The workflows the bench awaits are ended, so that no call is left waiting on a
            // connection about to close (a retried call on a closed channel throws from a timer).
            for (const handle of tracked) await handle.terminate('banc interrompu').catch(() => undefined);
            settled = await Promise.race([measuring.then(() => true, () => true), sleep(15_000).then(() => false)]);
          } finally {
            await started.stop();
          }
        } finally {
          // Still awaiting something after an interruption: the connection is left to its retries.
          if (settled) await connection.close();
          await server.stop();
        }
      } finally {
        await database.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    }
    if (runs.length > 1) {
      console.log('');
      printSideBySide(label === 'chain' ? 'année scolaire, côte à côte' : 'nuit SIECLE, côte à côte', runs);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Figures of the database.

/**
 * Deposits made and not yet processed by a night, in one query: the bench looks every second, and
 * listQueuedDeposits (a connector check per running run, what the nightly workflow calls once per
 * night) would load the worker it measures.
 */
async function countWaitingDeposits(db: Db): Promise<number> {
  const rows = await db.select({ step: deposits.step, n: count() }).from(deposits).where(inArray(deposits.step, [ELEGROUPE, NIGHT_PROCESSING_STEP as StepId])).groupBy(deposits.step);
  const of = (step: string): number => rows.find((r) => r.step === step)?.n ?? 0;
  return of(ELEGROUPE) - of(NIGHT_PROCESSING_STEP);
}

/** History length of each run of a workflow id, oldest first (continue-as-new followed back). */
async function runHistoryLengths(client: Client, workflowId: string): Promise<number[]> {
  const lengths: number[] = [];
  for (let runId: string | undefined; ; ) {
    const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    lengths.unshift(events.length);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    if (!runId) return lengths;
  }
}

async function countFinishedRuns(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(stepRuns).where(isNotNull(stepRuns.finishedAt));
  return row?.n ?? 0;
}

/** Latency between the end of a step's last dependency and the start of its run (child workflow, task, activity). */
function orchestrationGaps(runs: StepRun[]): number[] {
  const bySchool = new Map<string, Map<string, StepRun>>();
  for (const run of runs) {
    const steps = bySchool.get(run.uai) ?? bySchool.set(run.uai, new Map()).get(run.uai)!;
    const known = steps.get(run.step);
    if (!known || known.id < run.id) steps.set(run.step, run);
  }
  const gaps: number[] = [];
  for (const steps of bySchool.values()) {
    for (const chainStep of YEAR_CHAIN) {
      const run = steps.get(chainStep.step);
      const before = chainStep.after.map((s) => steps.get(s)?.finishedAt?.getTime());
      if (!run || before.length === 0 || before.some((v) => v === undefined)) continue;
      gaps.push(run.startedAt.getTime() - Math.max(...(before as number[])));
    }
  }
  return gaps;
}


/**
 * SIECLE's nights while the académie runs: one nightlyEleGroupe run each time the window is full of
 * waiting deposits (as many as schools still to be processed, at most the window), or when deposits
 * wait and nothing has moved for STALL_MS.
 */
async function playNights(ctx: RunContext, options: { total: number; window: number; nightConcurrency: number; deadline: number; isOver(): boolean }): Promise<{ deposits: number; ms: number }[]> {
  const nights: { deposits: number; ms: number }[] = [];
  let processed = 0;
  let seen = { waiting: -1, finished: -1, since: performance.now() };
  const start = performance.now();
  let told = start;
  while (!options.isOver()) {
    await sleep(POLL_MS);
    if (options.isOver()) break;
    if (performance.now() > options.deadline) throw new Error('Délai dépassé en attendant la fin de l\'académie.');
    const waiting = await polled(() => countWaitingDeposits(ctx.db));
    const finished = await polled(() => countFinishedRuns(ctx.db));
    if (performance.now() - told > 60_000) {
      told = performance.now();
      console.log(`    … ${seconds(told - start)} : ${finished} exécutions d'étapes finies, ${processed} dépôts traités par ${nights.length} nuit(s)`);
    }
    if (waiting !== seen.waiting || finished !== seen.finished) seen = { waiting, finished, since: performance.now() };
    const full = waiting >= Math.min(options.window, options.total - processed);
    const stalled = performance.now() - seen.since > STALL_MS;
    if (waiting === 0 || !(full || stalled)) continue;
    const t0 = performance.now();
    const night = await ctx.client.workflow.execute(nightlyEleGroupe, {
      taskQueue: ctx.taskQueue,
      workflowId: `nightly-elegroupe/BENCH/${nights.length + 1}/${randomUUID()}`,
      args: [{ night: BUSINESS_DATE, concurrency: options.nightConcurrency }],
    });
    const count = night.outcomes.filter((o) => o.processed).length;
    processed += count;
    nights.push({ deposits: count, ms: performance.now() - t0 });
    seen = { waiting: -1, finished: -1, since: performance.now() };
  }
  return nights;
}

// ---------------------------------------------------------------------------------------------
// (a) The school year of an académie.

async function yearBench(settings: Settings): Promise<void> {
  const n = settings.chainSchools;
  const schools: BenchSchool[] = Array.from({ length: n }, (_, i) => ({
    uai: benchUai(i),
    kind: settings.lyceeEvery > 0 && i % settings.lyceeEvery === settings.lyceeEvery - 1 ? 'lycee' : 'college',
    faulty: i % 10 === 0,
  }));
  const lycees = schools.filter((s) => s.kind === 'lycee').length;
  console.log(`Année scolaire d'une académie de ${n} établissements (${n - lycees} collèges de 600 élèves, ${lycees} lycée(s) de 2 500 ; 1 sur 10 avec un groupe inconnu)`);
  console.log(`  réglages : fenêtre de l'académie ${settings.window}, ${settings.activitySlots} créneaux d'activités par worker, 40 créneaux de tâches de workflow (défaut du SDK), nuit à ${settings.nightConcurrency} en parallèle${workerEnvironment(settings)}`);
  await runPhase('chain', schools, 'year', 1, settings, async (ctx) => {
    const rss = ctx.sample();
    const t0 = performance.now();
    const uais = schools.map((s) => s.uai);
    const handle = await ctx.client.workflow.start(academy, {
      taskQueue: ctx.taskQueue,
      workflowId: `academie/BENCH/${randomUUID()}`,
      args: [{ academie: 'BENCH', kind: 'year', millesime: MILLESIME, businessDate: BUSINESS_DATE, uais, yearEnds: schoolYearEnds(uais, MILLESIME), concurrency: settings.window, confirmAutomatically: true }],
    });
    ctx.track(handle);
    let over = false;
    const result = handle.result().finally(() => (over = true));
    result.catch(() => undefined); // awaited below; the nights loop must not leave it unhandled
    const nights = await playNights(ctx, { total: n, window: settings.window, nightConcurrency: settings.nightConcurrency, deadline: t0 + settings.timeoutMs, isOver: () => over });
    const outcome = await result;
    const wallMs = performance.now() - t0;
    const sampled = await rss.stop();

    const runs = await polled(() => ctx.db.select().from(stepRuns));
    const byStatus = new Map<string, number>();
    for (const r of runs) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const duration = (r: StepRun): number | undefined => (r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : undefined);
    const durations = (filter: (r: StepRun) => boolean): number[] => runs.filter(filter).map(duration).filter((v): v is number => v !== undefined);
    const target = (YEAR_TARGET.seconds * n) / YEAR_TARGET.schools;

    console.log(`    chaîne : ${seconds(wallMs)} du démarrage de l'académie à son résultat, ${nights.length} nuit(s) comprise(s)   [cible : ${YEAR_TARGET.schools} établissements en < ${YEAR_TARGET.seconds} s${n === YEAR_TARGET.schools ? '' : `, soit < ${target.toFixed(0)} s pour ${n}`}]`);
    const academyEvents = (await handle.describe()).historyLength;
    console.log(`    ${(n / (wallMs / 1000)).toFixed(2)} établissements/s ; résultat : ${outcome.succeeded} réussis, ${outcome.failed} en échec, ${outcome.alreadyRunning} déjà en cours ; historique de l'académie : ${academyEvents} événements`);
    console.log(`    ${runs.length} exécutions d'étapes (${[...byStatus].map(([s, c]) => `${s} ${c}`).join(', ')}) ; mur / exécutions = ${(wallMs / runs.length).toFixed(0)} ms par étape`);
    const work = durations((r) => r.step !== ELEGROUPE);
    console.log(`    durée d'une exécution d'étape (started → finished, hors élève-groupe) : ${fmtStats(work)} ; en cours en moyenne (Σ durées / mur) : ${(work.reduce((s, v) => s + v, 0) / wallMs).toFixed(1)}`);
    for (const chainStep of YEAR_CHAIN) {
      const label = chainStep.step === ELEGROUPE ? `${chainStep.step} (dépôt → nuit)` : chainStep.step;
      console.log(`      ${label.padEnd(42)} ${fmtStats(durations((r) => r.step === chainStep.step))}`);
    }
    const gaps = orchestrationGaps(runs);
    console.log(`    latence entre étapes (fin de la dernière dépendance → début de l'étape ; enfant, tâches, file d'activités) : ${fmtStats(gaps)}`);
    const nightMs = nights.reduce((s, x) => s + x.ms, 0);
    console.log(`    nuits SIECLE : ${nights.map((x) => x.deposits).join(' + ')} dépôts, ${seconds(nightMs)} au total (${nights.map((x) => seconds(x.ms)).join(', ')}) ; jour (mur hors nuits) : ${seconds(wallMs - nightMs)}`);
    const processRows = [...sampledRows(sampled), ...workerCpuPer(sampled, n, 'établissement')];
    printRows('    ', processRows);
    const w = stats(work);
    const g = stats(gaps);
    const ms = (v: number): string => `${v.toFixed(0)} ms`;
    return [
      [`mur (cible < ${target.toFixed(0)} s)`, seconds(wallMs)],
      ['établissements/s', (n / (wallMs / 1000)).toFixed(2)],
      ['réussis / en échec', `${outcome.succeeded} / ${outcome.failed}`],
      ['étape (hors élève-groupe) médiane / p95', `${ms(w.median)} / ${ms(w.p95)}`],
      ['latence entre étapes médiane / p95', `${ms(g.median)} / ${ms(g.p95)}`],
      ['nuits (total)', `${nights.length} (${seconds(nightMs)})`],
      ...processRows,
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// (b) SIECLE's night for many schools.

async function nightBench(settings: Settings): Promise<void> {
  const n = settings.nightSchools;
  const schools: BenchSchool[] = Array.from({ length: n }, (_, i) => ({ uai: benchUai(NIGHT_UAI_OFFSET + i), kind: 'college', faulty: i % 10 === 0 }));
  console.log(`Nuit SIECLE élève-groupe pour ${n} collèges de 600 élèves (1 sur 10 avec un groupe inconnu), nuit à ${settings.nightConcurrency} en parallèle, ${settings.activitySlots} créneaux d'activités par worker${workerEnvironment(settings)}`);
  await runPhase('night', schools, 'night', 100_000, settings, async (ctx) => {
    // Deposits: each school's élève-groupe step as the school year starts it (the real stepRun
    // workflow and executeStep: SIECLE's deposit checks, the deposit), left waiting for the night.
    const prepSample = ctx.sample();
    const t0 = performance.now();
    const handles = await pool(schools, 50, (s) =>
      ctx.client.workflow.start(stepRun, {
        taskQueue: ctx.taskQueue,
        workflowId: stepWorkflowId(schoolYearWorkflowId(s.uai, MILLESIME), ELEGROUPE),
        args: [{ uai: s.uai, millesime: MILLESIME, step: ELEGROUPE, businessDate: BUSINESS_DATE }],
      }));
    let told = performance.now();
    for (let deposited = 0; deposited < n; ) {
      const elapsed = performance.now() - t0;
      if (elapsed > settings.timeoutMs) throw new Error(`Délai dépassé : ${deposited}/${n} dépôts en ${seconds(elapsed)} (${(deposited / (elapsed / 1000)).toFixed(1)}/s).`);
      if (performance.now() - told > 60_000) {
        told = performance.now();
        console.log(`    … ${deposited}/${n} dépôts en ${seconds(elapsed)} (${(deposited / (elapsed / 1000)).toFixed(1)}/s)`);
      }
      await sleep(POLL_MS);
      const [row] = await polled(() => ctx.db.select({ n: count() }).from(deposits).where(eq(deposits.step, ELEGROUPE)));
      deposited = row?.n ?? 0;
    }
    // The deposit row comes just before the activity returns: wait for every run row to say so.
    for (;;) {
      const [row] = await polled(() => ctx.db.select({ n: count() }).from(stepRuns).where(and(eq(stepRuns.step, ELEGROUPE), eq(stepRuns.status, 'running'))));
      if ((row?.n ?? 0) >= n) break;
      await sleep(200);
    }
    const prepMs = performance.now() - t0;
    const prepSampled = await prepSample.stop();
    const l0 = performance.now();
    const queued = await polled(() => ctx.activities.listQueuedDeposits());
    const listMs = performance.now() - l0;
    const prepRate = n / (prepMs / 1000);
    console.log(`    dépôts (préparation, hors mesure de la nuit) : ${n} étapes élève-groupe déposées et en attente de la nuit en ${seconds(prepMs)}, ${prepRate.toFixed(1)} dépôts/s ; listQueuedDeposits seul : ${queued.length} dépôts en ${seconds(listMs)}`);
    if (prepRate < NIGHT_TARGET_PER_S) console.log(`    ⚠ dépôts bien plus lents que la nuit visée (${prepRate.toFixed(1)}/s contre ≥ ${NIGHT_TARGET_PER_S}/s) : ${(10_000 / prepRate / 60).toFixed(0)} min pour 10 000 établissements`);
    const prepRows = [...sampledRows(prepSampled), ...workerCpuPer(prepSampled, n, 'dépôt')];
    printRows('      dépôts, ', prepRows);

    const rss = ctx.sample();
    const n0 = performance.now();
    const nightHandle = await ctx.client.workflow.start(nightlyEleGroupe, {
      taskQueue: ctx.taskQueue,
      workflowId: `nightly-elegroupe/BENCH/${randomUUID()}`,
      args: [{ night: BUSINESS_DATE, concurrency: settings.nightConcurrency }],
    });
    ctx.track(nightHandle);
    const night = await nightHandle.result();
    const nightMs = performance.now() - n0;
    const results = await pool(handles, 50, (h) => h.result());
    const closedMs = performance.now() - n0;
    const sampled = await rss.stop();
    const processed = night.outcomes.filter((o) => o.processed).length;
    const withAnomalies = results.filter((r) => r.status === 'succeeded-with-anomalies').length;
    const nightRuns = await runHistoryLengths(ctx.client, nightHandle.workflowId);
    const rate = processed / (nightMs / 1000);
    console.log(`    nuit : ${seconds(nightMs)} pour ${processed}/${night.outcomes.length} dépôts traités, ${rate.toFixed(1)} établissements/s   [cible : ≥ ${NIGHT_TARGET_PER_S}/s, 10 000 en < 6 min]`);
    console.log(`    historique du workflow de nuit : ${nightRuns.length} exécution(s) (continue-as-new), ${nightRuns.join(' + ')} événements (Temporal avertit à 10 240 par exécution, refuse au-delà de 51 200)`);
    console.log(`    toutes les étapes élève-groupe closes à ${seconds(closedMs)} (${results.length - withAnomalies} succeeded, ${withAnomalies} succeeded-with-anomalies)`);
    const processRows = [...sampledRows(sampled), ...workerCpuPer(sampled, processed, 'établissement')];
    printRows('    nuit, ', processRows);
    return [
      ['dépôts (préparation)', `${seconds(prepMs)} (${prepRate.toFixed(1)}/s)`],
      ...prepRows.filter(([label]) => label.startsWith('worker') || label.startsWith('banc (worker') || label.startsWith('CPU des')).map(([label, value]): Row => [`dépôts, ${label}`, value]),
      [`nuit (cible ≥ ${NIGHT_TARGET_PER_S}/s)`, `${seconds(nightMs)}`],
      ['nuit, établissements/s', rate.toFixed(1)],
      ['étapes closes à', `${seconds(closedMs)} (${withAnomalies} avec anomalies)`],
      ...processRows.map(([label, value]): Row => [`nuit, ${label}`, value]),
    ];
  });
}

async function run(): Promise<void> {
  const settings = settingsFromEnv();
  // The in-process worker's logs only: with worker processes, this process runs no native Temporal
  // object, and an installed runtime with nothing to shut it down would keep the process alive.
  if (!settings.serverUrl) installTemporalRuntime(createLogger(process.env.LOG_LEVEL ?? 'warn'));
  const b0 = performance.now();
  await workflowBundle();
  if (settings.serverUrl) await writePrebuiltBundle();
  console.log(`Bundle des workflows en ${seconds(performance.now() - b0)}${settings.serverUrl ? ` (écrit dans ${PREBUILT_BUNDLE_PATH} pour les processus worker)` : ''} ; machine : ${availableParallelism()} cœurs, partagée`);
  if (settings.serverUrl) {
    console.log(`PostgreSQL : ${displayUrl(settings.serverUrl)} (une base neuve par exécution) ; workers par exécution : ${settings.workers.join(', ')}`);
  } else {
    console.log('Sans PostgreSQL (BENCH_DATABASE_URL ou TEST_DATABASE_URL) : un seul worker, dans le processus du banc, sur PGlite en mémoire — plusieurs processus worker ont besoin de PostgreSQL (scripts/ci/postgres.sh).');
  }
  if (settings.chainSchools > 0) await yearBench(settings);
  if (settings.nightSchools > 0) await nightBench(settings);
}

export default { name: 'chain', run } satisfies BenchModule;
