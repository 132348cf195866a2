// Benchmarks of the chain on Temporal: ONE worker, the embedded dev server (in memory), PGlite in
// memory, sandbox schools, the real workflows and activities. (a) The school year of an académie of
// 500 generated schools, SIECLE's nights included (target < 5 min); (b) SIECLE's night for 2,000
// schools whose élève-groupe deposit waits (target < 5 min). Generating the schools' files is setup:
// it runs in child processes (one per core) and is timed apart. Figures are printed beside the
// targets; nothing is asserted.
//
// The académie's window fills with schools whose élève-groupe deposit waits for the night, so the
// bench plays SIECLE's night each time the window is full of waiting deposits (or nothing moves any
// more): several nights for 500 schools and a window of 100, as in real life.
//
// Sizes and settings (env): BENCH_CHAIN_SCHOOLS (500), BENCH_NIGHT_SCHOOLS (2000),
// BENCH_CHAIN_CONCURRENCY (académie window, 100), BENCH_CHAIN_LYCEE_EVERY (every n-th school is a
// lycée, 4; 0 = collèges only), BENCH_NIGHT_CONCURRENCY (20), BENCH_ACTIVITY_SLOTS (20),
// BENCH_PROVISION_PROCESSES (cores), BENCH_CHAIN_TIMEOUT_MIN (60). LOG_LEVEL defaults to warn.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { and, count, eq, inArray, isNotNull } from 'drizzle-orm';
import { createActivities, type Activities } from '../../activities';
import { startEmbeddedServer } from '../../client/temporal/embedded-server';
import { migrate, openDb, type Db } from '../../db/client';
import { NIGHT_PROCESSING_STEP } from '../../db/queries/deposits';
import { deposits, stepRuns, type StepRun } from '../../db/schema';
import { uaiCheckLetter } from '../../formats/uai';
import { workflowBundle } from '../../worker/bundle';
import { createWorkerDependencies } from '../../worker/dependencies';
import { createLogger, installTemporalRuntime } from '../../worker/logger';
import { createWorker } from '../../worker/worker';
import { YEAR_CHAIN } from '../../workflows/chain';
import type { StepId } from '../../workflows/steps';
import { schoolYearWorkflowId, stepWorkflowId } from '../../workflows/ids';
import { academy, nightlyEleGroupe, stepRun } from '../../workflows/index';
import type { BenchModule } from '../bench.js';
import type { Needs } from './chain/provision';
import { provisionSchools, registerSchools, type BenchSchool } from './chain/setup';

// As test/temporal/academy-sandbox.test.ts: SIECLE base 2025 in use on 02/03/2026.
const MILLESIME = 2025;
const BUSINESS_DATE = '2026-03-02';
const ELEGROUPE = 'pronote-siecle-elegroupe' as const;
const POLL_MS = 1_000;
/** Deposits wait but nothing has moved for this long: play the night anyway (a school failed early). */
const STALL_MS = 15_000;
/** Metropolitan départements: 10,000 bench UAIs each. */
const DEPARTMENTS = ['075', '069', '013', '033', '059', '093', '031'];
const NIGHT_UAI_OFFSET = 30_000;

interface Settings {
  chainSchools: number;
  nightSchools: number;
  window: number;
  lyceeEvery: number;
  nightConcurrency: number;
  activitySlots: number;
  provisioners: number;
  timeoutMs: number;
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} : entier positif attendu, pas « ${raw} ».`);
  return value;
}

function settingsFromEnv(): Settings {
  return {
    chainSchools: envInt('BENCH_CHAIN_SCHOOLS', 500),
    nightSchools: envInt('BENCH_NIGHT_SCHOOLS', 10_000),
    window: Math.max(1, envInt('BENCH_CHAIN_CONCURRENCY', 100)),
    lyceeEvery: envInt('BENCH_CHAIN_LYCEE_EVERY', 4),
    nightConcurrency: Math.max(1, envInt('BENCH_NIGHT_CONCURRENCY', 20)),
    activitySlots: Math.max(1, envInt('BENCH_ACTIVITY_SLOTS', 20)),
    provisioners: Math.max(1, envInt('BENCH_PROVISION_PROCESSES', availableParallelism())),
    timeoutMs: envInt('BENCH_CHAIN_TIMEOUT_MIN', 60) * 60_000,
  };
}

/** A valid, distinct metropolitan UAI for each index. */
function benchUai(index: number): string {
  const department = DEPARTMENTS[Math.floor(index / 10_000)];
  if (!department) throw new Error(`Trop d'établissements pour le banc : ${index}.`);
  const seven = `${department}${String(index % 10_000).padStart(4, '0')}`;
  return `${seven}${uaiCheckLetter(seven)}`;
}

// ---------------------------------------------------------------------------------------------
// Measuring helpers.

/** The embedded server's process (a child of ours named temporal), for its RSS; Linux only. */
function findServerPid(): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (match?.[1] === 'temporal' && Number(match[2]) === process.pid) return Number(entry);
    }
  } catch {
    // No /proc: the server's RSS is not reported.
  }
  return undefined;
}

function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Peak RSS of this process (worker, PGlite, client) and of the server, sampled during one phase. */
function rssSampler(serverPid: number | undefined): { stop(): string } {
  let self = 0;
  let server = 0;
  const sample = (): void => {
    self = Math.max(self, process.memoryUsage.rss());
    if (serverPid) server = Math.max(server, rssOf(serverPid));
  };
  sample();
  const timer = setInterval(sample, 250);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const mb = (b: number): string => (b / 1024 / 1024).toFixed(0);
      return `RSS max : banc (worker + PGlite + client) ${mb(self)} MB` + (serverPid ? `, serveur Temporal ${mb(server)} MB` : '');
    },
  };
}

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

async function pool<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}

/** A fresh data dir and in-memory database holding `schools` provisioned (setup, timed apart), for `body`. */
async function withProvisionedSchools(label: string, schools: BenchSchool[], needs: Needs, seedBase: number, settings: Settings, body: (db: Db, dataDir: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), `synchro-bench-${label}-`));
  const dataDir = join(root, 'data');
  const database = await openDb({ inMemory: true });
  try {
    await migrate(database.db);
    const p = await provisionSchools({ dataDir, templatesDir: join(root, 'templates'), schools, needs, processes: settings.provisioners, seedBase });
    const r0 = performance.now();
    await registerSchools(database.db, schools, p.names);
    const registerMs = performance.now() - r0;
    const totalMs = p.templatesMs + p.copiesMs + registerMs;
    console.log(`  approvisionnement : ${seconds(totalMs)}, ${(schools.length / (totalMs / 1000)).toFixed(0)} établissements/s — ${p.templates} modèles générés par le bac à sable en ${seconds(p.templatesMs)} (${settings.provisioners} processus), ${schools.length} copies en ${seconds(p.copiesMs)} (${(schools.length / (p.copiesMs / 1000)).toFixed(0)}/s, ${(p.bytes / 1024 / 1024).toFixed(0)} Mo${needs === 'night' ? ', fichiers de la nuit seulement' : ''}), inscription en base en ${seconds(registerMs)}`);
    await body(database.db, dataDir);
  } finally {
    await database.close();
    await rm(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Temporal: one server and one worker per phase (a fresh task queue, the real activities).

interface Temporal {
  client: Client;
  native: NativeConnection;
  namespace: string;
  serverPid: number | undefined;
}

async function withRealWorker<T>(t: Temporal, settings: Settings, dataDir: string, db: Db, body: (taskQueue: string, activities: Activities) => Promise<T>): Promise<T> {
  const activities = createActivities(createWorkerDependencies({ dataDir }, db));
  const taskQueue = `bench-chain-${randomUUID()}`;
  const worker = await createWorker({ connection: t.native, namespace: t.namespace, taskQueue, activities, maxConcurrentActivityTaskExecutions: settings.activitySlots });
  return worker.runUntil(body(taskQueue, activities));
}

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

/**
 * SIECLE's nights while the académie runs: one nightlyEleGroupe run each time the window is full of
 * waiting deposits (as many as schools still to be processed, at most the window), or when deposits
 * wait and nothing has moved for STALL_MS.
 */
async function playNights(t: Temporal, taskQueue: string, activities: Activities, db: Db, options: { total: number; window: number; nightConcurrency: number; deadline: number; isOver(): boolean }): Promise<{ deposits: number; ms: number }[]> {
  const nights: { deposits: number; ms: number }[] = [];
  let processed = 0;
  let seen = { waiting: -1, finished: -1, since: performance.now() };
  while (!options.isOver()) {
    await sleep(POLL_MS);
    if (options.isOver()) break;
    if (performance.now() > options.deadline) throw new Error('Délai dépassé en attendant la fin de l\'académie.');
    const waiting = await countWaitingDeposits(db);
    const finished = await countFinishedRuns(db);
    if (waiting !== seen.waiting || finished !== seen.finished) seen = { waiting, finished, since: performance.now() };
    const full = waiting >= Math.min(options.window, options.total - processed);
    const stalled = performance.now() - seen.since > STALL_MS;
    if (waiting === 0 || !(full || stalled)) continue;
    const t0 = performance.now();
    const night = await t.client.workflow.execute(nightlyEleGroupe, {
      taskQueue,
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

// ---------------------------------------------------------------------------------------------
// (a) The school year of an académie.

async function yearBench(t: Temporal, settings: Settings): Promise<void> {
  const n = settings.chainSchools;
  const specs: BenchSchool[] = Array.from({ length: n }, (_, i) => ({
    uai: benchUai(i),
    kind: settings.lyceeEvery > 0 && i % settings.lyceeEvery === settings.lyceeEvery - 1 ? 'lycee' : 'college',
    faulty: i % 10 === 0,
  }));
  const lycees = specs.filter((s) => s.kind === 'lycee').length;
  console.log(`Année scolaire d'une académie de ${n} établissements (${n - lycees} collèges de 600 élèves, ${lycees} lycée(s) de 2 500 ; 1 sur 10 avec un groupe inconnu)`);
  console.log(`  réglages : fenêtre de l'académie ${settings.window}, 1 worker, ${settings.activitySlots} créneaux d'activités, 40 créneaux de tâches de workflow (défaut du SDK), nuit à ${settings.nightConcurrency} en parallèle`);
  await withProvisionedSchools('chain', specs, 'year', 1, settings, async (db, dataDir) => {
    await withRealWorker(t, settings, dataDir, db, async (taskQueue, activities) => {
      const rss = rssSampler(t.serverPid);
      const t0 = performance.now();
      const handle = await t.client.workflow.start(academy, {
        taskQueue,
        workflowId: `academie/BENCH/${randomUUID()}`,
        args: [{ academie: 'BENCH', kind: 'year', millesime: MILLESIME, businessDate: BUSINESS_DATE, uais: specs.map((s) => s.uai), concurrency: settings.window, confirmAutomatically: true }],
      });
      let over = false;
      const result = handle.result().finally(() => (over = true));
      result.catch(() => undefined); // awaited below; the nights loop must not leave it unhandled
      const nights = await playNights(t, taskQueue, activities, db, { total: n, window: settings.window, nightConcurrency: settings.nightConcurrency, deadline: t0 + settings.timeoutMs, isOver: () => over });
      const outcome = await result;
      const wallMs = performance.now() - t0;
      const memory = rss.stop();

      const runs = await db.select().from(stepRuns);
      const byStatus = new Map<string, number>();
      for (const r of runs) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      const duration = (r: StepRun): number | undefined => (r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : undefined);
      const durations = (filter: (r: StepRun) => boolean): number[] => runs.filter(filter).map(duration).filter((v): v is number => v !== undefined);

      console.log(`  chaîne : ${seconds(wallMs)} du démarrage de l'académie à son résultat, ${nights.length} nuit(s) comprise(s)   [cible : < 5 min]`);
      const academyEvents = (await handle.describe()).historyLength;
      console.log(`  ${(n / (wallMs / 60_000)).toFixed(0)} établissements/min ; résultat : ${outcome.succeeded} réussis, ${outcome.failed} en échec, ${outcome.alreadyRunning} déjà en cours ; historique de l'académie : ${academyEvents} événements`);
      console.log(`  ${runs.length} exécutions d'étapes (${[...byStatus].map(([s, c]) => `${s} ${c}`).join(', ')}) ; mur / exécutions = ${(wallMs / runs.length).toFixed(0)} ms par étape`);
      const work = durations((r) => r.step !== ELEGROUPE);
      console.log(`  durée d'une exécution d'étape (started → finished, hors élève-groupe) : ${fmtStats(work)} ; en cours en moyenne (Σ durées / mur) : ${(work.reduce((s, v) => s + v, 0) / wallMs).toFixed(1)}`);
      for (const chainStep of YEAR_CHAIN) {
        const label = chainStep.step === ELEGROUPE ? `${chainStep.step} (dépôt → nuit)` : chainStep.step;
        console.log(`    ${label.padEnd(42)} ${fmtStats(durations((r) => r.step === chainStep.step))}`);
      }
      console.log(`  latence entre étapes (fin de la dernière dépendance → début de l'étape ; enfant, tâches, file d'activités) : ${fmtStats(orchestrationGaps(runs))}`);
      const nightMs = nights.reduce((s, x) => s + x.ms, 0);
      console.log(`  nuits SIECLE : ${nights.map((x) => x.deposits).join(' + ')} dépôts, ${seconds(nightMs)} au total (${nights.map((x) => seconds(x.ms)).join(', ')}) ; jour (mur hors nuits) : ${seconds(wallMs - nightMs)}`);
      console.log(`  ${memory}`);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// (b) SIECLE's night for many schools.

async function nightBench(t: Temporal, settings: Settings): Promise<void> {
  const n = settings.nightSchools;
  const specs: BenchSchool[] = Array.from({ length: n }, (_, i) => ({ uai: benchUai(NIGHT_UAI_OFFSET + i), kind: 'college', faulty: i % 10 === 0 }));
  console.log(`Nuit SIECLE élève-groupe pour ${n} collèges de 600 élèves (1 sur 10 avec un groupe inconnu), nuit à ${settings.nightConcurrency} en parallèle, ${settings.activitySlots} créneaux d'activités`);
  await withProvisionedSchools('night', specs, 'night', 100_000, settings, async (db, dataDir) => {
    await withRealWorker(t, settings, dataDir, db, async (taskQueue, activities) => {
      // Preparation: each school's élève-groupe step as the school year starts it (the real stepRun
      // workflow and executeStep: SIECLE's deposit checks, the deposit), left waiting for the night.
      const t0 = performance.now();
      const handles = await pool(specs, 50, (s) =>
        t.client.workflow.start(stepRun, {
          taskQueue,
          workflowId: stepWorkflowId(schoolYearWorkflowId(s.uai, MILLESIME), ELEGROUPE),
          args: [{ uai: s.uai, millesime: MILLESIME, step: ELEGROUPE, businessDate: BUSINESS_DATE }],
        }));
      for (let deposited = 0; deposited < n; ) {
        if (performance.now() - t0 > settings.timeoutMs) throw new Error(`Délai dépassé : ${deposited}/${n} dépôts.`);
        await sleep(POLL_MS);
        const [row] = await db.select({ n: count() }).from(deposits).where(eq(deposits.step, ELEGROUPE));
        deposited = row?.n ?? 0;
      }
      // The deposit row comes just before the activity returns: wait for every run row to say so.
      for (;;) {
        const [row] = await db.select({ n: count() }).from(stepRuns).where(and(eq(stepRuns.step, ELEGROUPE), eq(stepRuns.status, 'running')));
        if ((row?.n ?? 0) >= n) break;
        await sleep(200);
      }
      const prepMs = performance.now() - t0;
      const l0 = performance.now();
      const queued = await activities.listQueuedDeposits();
      const listMs = performance.now() - l0;
      console.log(`  préparation (hors mesure) : ${n} étapes élève-groupe déposées et en attente de la nuit en ${seconds(prepMs)} ; listQueuedDeposits seul : ${queued.length} dépôts en ${seconds(listMs)}`);

      const rss = rssSampler(t.serverPid);
      const n0 = performance.now();
      const nightHandle = await t.client.workflow.start(nightlyEleGroupe, {
        taskQueue,
        workflowId: `nightly-elegroupe/BENCH/${randomUUID()}`,
        args: [{ night: BUSINESS_DATE, concurrency: settings.nightConcurrency }],
      });
      const night = await nightHandle.result();
      const nightMs = performance.now() - n0;
      const results = await pool(handles, 50, (h) => h.result());
      const closedMs = performance.now() - n0;
      const memory = rss.stop();
      const processed = night.outcomes.filter((o) => o.processed).length;
      const withAnomalies = results.filter((r) => r.status === 'succeeded-with-anomalies').length;
      const nightRuns = await runHistoryLengths(t.client, nightHandle.workflowId);
      console.log(`  nuit : ${seconds(nightMs)} pour ${processed}/${night.outcomes.length} dépôts traités, ${(processed / (nightMs / 1000)).toFixed(1)} établissements/s   [cible : < 5 min]`);
      console.log(`  historique du workflow de nuit : ${nightRuns.length} exécution(s) (continue-as-new), ${nightRuns.join(' + ')} événements (Temporal avertit à 10 240 par exécution, refuse au-delà de 51 200)`);
      console.log(`  toutes les étapes élève-groupe closes à ${seconds(closedMs)} (${results.length - withAnomalies} succeeded, ${withAnomalies} succeeded-with-anomalies)`);
      console.log(`  ${memory}`);
    });
  });
}

async function run(): Promise<void> {
  const settings = settingsFromEnv();
  installTemporalRuntime(createLogger(process.env.LOG_LEVEL ?? 'warn'));
  const s0 = performance.now();
  const server = await startEmbeddedServer();
  let connection: Connection | undefined;
  let native: NativeConnection | undefined;
  try {
    const serverMs = performance.now() - s0;
    const b0 = performance.now();
    await workflowBundle();
    console.log(`Serveur Temporal embarqué (en mémoire) prêt en ${seconds(serverMs)}, bundle des workflows en ${seconds(performance.now() - b0)} ; machine : ${availableParallelism()} cœurs, partagée`);
    connection = await Connection.connect({ address: server.address });
    native = await NativeConnection.connect({ address: server.address });
    const t: Temporal = { client: new Client({ connection, namespace: server.namespace }), native, namespace: server.namespace, serverPid: findServerPid() };
    if (settings.chainSchools > 0) await yearBench(t, settings);
    if (settings.nightSchools > 0) await nightBench(t, settings);
  } finally {
    await native?.close();
    await connection?.close();
    await server.stop();
  }
}

export default { name: 'chain', run } satisfies BenchModule;
