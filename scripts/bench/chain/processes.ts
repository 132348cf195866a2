// The processes a bench run measures: real `synchro worker` processes (bin/synchro.js worker) on
// the run's task queue, and a sampler of /proc (Linux) for each process's peak RSS and CPU time:
// CPU seconds beside the wall time say whether one process's main thread (≈ 1 s per second) or
// the machine (≈ cores × wall, all processes together) is the limit.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on every Linux the bench runs on. */
const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 250;

export interface WorkerProcessOptions {
  root: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  dataDir: string;
  maxActivities: number;
  /** Label in the figures (« worker 1 »). */
  label: string;
}

export interface WorkerProcess {
  label: string;
  pid: number;
  /** Rejects if the process ends before stop() (a crash, an out-of-memory kill). */
  exited: Promise<never>;
  /** Lines the worker wrote on stderr (warnings at LOG_LEVEL=warn). */
  stderrLines(): number;
  /** The first of them (what kind of warning it is). */
  firstStderrLine(): string | undefined;
  stop(): Promise<void>;
}

/** The settings a worker must not inherit from the bench's environment (another cluster, a codec key…). */
const INHERITED = /^(TEMPORAL_|SYNCHRO_|DATABASE_URL$)/;

/**
 * glibc's malloc arenas for the worker processes, as the README's Production section advises
 * (MALLOC_ARENA_MAX=2 in the worker's environment): glibc gives each thread that meets contention
 * an arena of its own, up to 8 a core, and a worker has a dozen threads (parse threads, V8's, libuv's,
 * Temporal Core's). Measured on 2026-12-03 (year of 100 schools, 1 worker): peak RSS 893 → 825 Mo,
 * CPU unchanged (594 → 578 ms a school). A value set in the bench's environment is kept.
 */
export const WORKER_MALLOC_ARENA_MAX = process.env.MALLOC_ARENA_MAX ?? '2';

/** A setting's space-separated words, none when unset. */
const wordsOf = (raw: string | undefined): string[] => (raw ?? '').split(' ').filter((a) => a !== '');

/** Starts `synchro worker` and resolves once it printed « Worker prêt ». */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !INHERITED.test(k)));
  Object.assign(env, {
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: options.namespace,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    DATABASE_URL: options.databaseUrl,
    SYNCHRO_DATA_DIR: options.dataDir,
    // The bundle the bench wrote to dist/ (as `npm run build`): no webpack in each worker.
    SYNCHRO_PREBUILT_BUNDLE: '1',
    LOG_LEVEL: 'warn',
    MALLOC_ARENA_MAX: WORKER_MALLOC_ARENA_MAX,
  });
  // BENCH_WORKER_NODE_ARGS: node flags for the workers only, e.g. « --cpu-prof --cpu-prof-dir=/tmp/p »
  // (not allowed in NODE_OPTIONS, and the bench itself need not be profiled).
  const nodeArgs = wordsOf(process.env.BENCH_WORKER_NODE_ARGS);
  // BENCH_WORKER_ARGS: more options of `synchro worker`, e.g. « --max-cached-workflows 1000 » (the default is 400).
  const workerArgs = wordsOf(process.env.BENCH_WORKER_ARGS);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, join(options.root, 'bin', 'synchro.js'), 'worker', '--max-activities', String(options.maxActivities), ...workerArgs], { cwd: options.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stopping = false;
  let lines = 0;
  const tail: string[] = [];
  let first: string | undefined;
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter((l) => l.trim() !== '')) {
      lines++;
      first ??= line;
      tail.push(line);
      if (tail.length > 5) tail.shift();
    }
  });
  const ended = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const exited = ended.then((code): never => {
    throw new Error(`${options.label} (pid ${child.pid ?? '?'}) arrêté${stopping ? '' : ' en cours de mesure'} (code ${code ?? 'signal'}) : ${tail.join(' | ').slice(0, 600)}`);
  });
  exited.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${options.label} : pas prêt après 120 s. ${tail.join(' | ').slice(0, 600)}`)), 120_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('Worker prêt')) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.catch((error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
  return {
    label: options.label,
    pid: child.pid!,
    exited,
    stderrLines: () => lines,
    firstStderrLine: () => first,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await ended;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------

interface ProcStat {
  rss: number;
  anon: number;
  shmem: number;
  cpuTicks: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { rss: kb('VmRSS'), anon: kb('RssAnon'), shmem: kb('RssShmem'), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat's first line). */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const values = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.slice(0, 8).reduce((s, v) => s + v, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** The embedded Temporal server's process: a child of ours named temporal (Linux only). */
export function findServerPid(): number | undefined {
  try {
    const ours = new Set<number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (match?.[1] === 'temporal' && Number(match[2]) === process.pid) ours.add(Number(entry));
    }
    // Started last, so the highest pid when an earlier one is still exiting.
    return ours.size > 0 ? Math.max(...ours) : undefined;
  } catch {
    return undefined;
  }
}

export interface ProcessFigure {
  label: string;
  peakRssMb: number;
  cpuSeconds: number;
  /** A worker's CPU seconds by kind of thread (THREAD_KINDS), when its threads could be read. */
  threads?: Partial<Record<ThreadKind, number>>;
}

/**
 * What a worker's threads are, by their name (/proc/<pid>/task/<tid>/comm): its main thread (tid =
 * pid), the parse threads (formats/parse-thread.js names itself synchro-parse), Temporal Core's
 * runtime (tokio), and the other « node » threads: V8's garbage-collection and compilation helpers,
 * the SDK's workflow thread, libuv's file-system pool.
 */
export const THREAD_KINDS = ['main', 'parse', 'core', 'other'] as const;
export type ThreadKind = (typeof THREAD_KINDS)[number];

function threadKind(pid: number, tid: number, name: string): ThreadKind {
  if (tid === pid) return 'main';
  if (name === 'synchro-parse') return 'parse';
  if (name.startsWith('tokio')) return 'core';
  return 'other';
}

/** CPU ticks of each thread of a process, with its kind (Linux only; empty elsewhere). */
function threadTicks(pid: number): Map<number, { kind: ThreadKind; ticks: number }> {
  const out = new Map<number, { kind: ThreadKind; ticks: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const entry of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(entry), { kind: threadKind(pid, Number(entry), name), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

export interface SampledFigures {
  wallMs: number;
  processes: ProcessFigure[];
  /** PostgreSQL's backends of the run's database: Σ private memory (RssAnon) at its peak, + shared memory once. */
  postgres?: ProcessFigure & { backends: number };
  /** The machine's busy cores on average, every process included (the machine is shared). */
  machineCores?: number;
}

/**
 * Samples the given processes every 250 ms until stop(): peak RSS, CPU seconds used meanwhile.
 * `postgresPids` lists the backends serving the run's database (looked up once a second).
 */
export function sampleProcesses(processes: { label: string; pid: number; threads?: boolean }[], postgresPids?: () => Promise<number[]>): { stop(): Promise<SampledFigures> } {
  const t0 = performance.now();
  const machine0 = machineTicks();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const peak = new Map<number, number>();
  // Per thread of the processes asked for: ticks when first seen (threads there from the start
  // count from now, those started later from 0) and when last seen (a thread that ends loses at
  // most one sampling interval).
  const threads = new Map<number, Map<number, { kind: ThreadKind; first: number; last: number }>>();
  const sampleThreads = (pid: number, starting: boolean): void => {
    const known = threads.get(pid) ?? threads.set(pid, new Map()).get(pid)!;
    for (const [tid, t] of threadTicks(pid)) {
      const seen = known.get(tid);
      // A parse thread names itself once started: the latest name says what it is.
      if (seen) Object.assign(seen, { kind: t.kind, last: t.ticks });
      else known.set(tid, { kind: t.kind, first: starting ? t.ticks : 0, last: t.ticks });
    }
  };
  for (const p of processes) {
    const s = procStat(p.pid);
    if (s) first.set(p.pid, s.cpuTicks);
    if (p.threads) sampleThreads(p.pid, true);
  }
  let backends = new Set<number>();
  const everBackends = new Set<number>();
  const backendFirst = new Map<number, number>();
  const backendLast = new Map<number, number>();
  let pgPeak = 0;
  let pgShared = 0;
  let sampling = false;
  const sample = (): void => {
    for (const p of processes) {
      const s = procStat(p.pid);
      if (!s) continue;
      last.set(p.pid, s.cpuTicks);
      peak.set(p.pid, Math.max(peak.get(p.pid) ?? 0, s.rss));
      if (p.threads) sampleThreads(p.pid, false);
    }
    let anon = 0;
    for (const pid of backends) {
      const s = procStat(pid);
      if (!s) continue;
      anon += s.anon;
      pgShared = Math.max(pgShared, s.shmem);
      backendLast.set(pid, s.cpuTicks);
    }
    pgPeak = Math.max(pgPeak, anon);
  };
  const lookUp = async (): Promise<void> => {
    if (!postgresPids || sampling) return;
    sampling = true;
    try {
      const pids = await postgresPids();
      for (const pid of pids) {
        if (!everBackends.has(pid)) {
          everBackends.add(pid);
          // A backend there from the start has spent CPU before: count from now; a new one from 0.
          backendFirst.set(pid, performance.now() - t0 < 1_500 ? (procStat(pid)?.cpuTicks ?? 0) : 0);
        }
      }
      backends = new Set(pids);
    } catch {
      // The database is going away: keep the last list.
    } finally {
      sampling = false;
    }
  };
  void lookUp();
  const timer = setInterval(sample, SAMPLE_MS);
  const pgTimer = setInterval(() => void lookUp(), 1_000);
  return {
    async stop() {
      clearInterval(timer);
      clearInterval(pgTimer);
      await lookUp();
      sample();
      const wallMs = performance.now() - t0;
      const machine1 = machineTicks();
      const mb = (b: number): number => Math.round(b / 1024 / 1024);
      const figures: SampledFigures = {
        wallMs,
        processes: processes.map((p) => {
          const figure: ProcessFigure = { label: p.label, peakRssMb: mb(peak.get(p.pid) ?? 0), cpuSeconds: ((last.get(p.pid) ?? 0) - (first.get(p.pid) ?? 0)) / TICKS_PER_SECOND };
          const known = threads.get(p.pid);
          if (known && known.size > 0) {
            const byKind: Partial<Record<ThreadKind, number>> = {};
            for (const t of known.values()) byKind[t.kind] = (byKind[t.kind] ?? 0) + (t.last - t.first) / TICKS_PER_SECOND;
            figure.threads = byKind;
          }
          return figure;
        }),
      };
      if (postgresPids) {
        let ticks = 0;
        for (const pid of everBackends) ticks += Math.max(0, (backendLast.get(pid) ?? 0) - (backendFirst.get(pid) ?? 0));
        figures.postgres = { label: 'PostgreSQL', peakRssMb: mb(pgPeak + pgShared), cpuSeconds: ticks / TICKS_PER_SECOND, backends: everBackends.size };
      }
      if (machine0 && machine1 && machine1.total > machine0.total) {
        // /proc/stat counts jiffies of every core: busy jiffies over wall jiffies = busy cores.
        figures.machineCores = (machine1.busy - machine0.busy) / TICKS_PER_SECOND / (wallMs / 1000);
      }
      return figures;
    },
  };
}
