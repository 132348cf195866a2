// A real `synchro worker` as a separate process, for the tests that kill one: started in its own
// process group (so that SIGKILL reaches anything it spawned), ready once it prints "Worker prêt",
// its output kept to explain a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ROOT } from './cli';

const READY = 'Worker prêt';
/** Variables of the developer's shell that would point the worker somewhere else than the test says. */
const INHERITED_OUT = ['DATABASE_URL', 'SYNCHRO_DATA_DIR', 'SYNCHRO_PARSED_CACHE_MB', 'SYNCHRO_CODEC_KEY', 'SYNCHRO_PREBUILT_BUNDLE', 'TEMPORAL_API_KEY', 'TEMPORAL_TLS_CERT_PATH', 'TEMPORAL_TLS_KEY_PATH', 'TEMPORAL_TLS_CA_PATH', 'TEMPORAL_TLS_SERVER_NAME'];

export interface WorkerProcess {
  readonly pid: number;
  /** Everything it printed so far (stdout and stderr interleaved). */
  output(): string;
  /** SIGKILL to the whole process group, then waits for the exit. Safe to call twice. */
  kill(): Promise<void>;
}

export interface WorkerEnv {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
  SYNCHRO_DATA_DIR: string;
  DATABASE_URL: string;
  LOG_LEVEL?: string;
  /** '0': the worker keeps no parsed files on disk (memory only). */
  SYNCHRO_PARSED_CACHE_MB?: string;
}

/** Starts `node bin/synchro.js worker` and resolves once it polls its task queue. */
export async function startWorkerProcess(env: WorkerEnv, options: { readyTimeoutMs?: number } = {}): Promise<WorkerProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const name of INHERITED_OUT) if (!(name in env)) delete childEnv[name];
  const child = spawn(process.execPath, [BIN, 'worker'], {
    cwd: ROOT,
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('Le worker ne démarre pas (pas de pid).');

  const worker: WorkerProcess = {
    pid,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
        }
      }
      await exited;
    },
  };
  try {
    await waitUntilReady(child, () => output, options.readyTimeoutMs ?? 90_000);
  } catch (error) {
    await worker.kill();
    throw error;
  }
  return worker;
}

function waitUntilReady(child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`Worker not ready after ${timeoutMs} ms. Output:\n${output()}`)), timeoutMs);
    const onData = (): void => {
      if (output().includes(READY)) finish();
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`Worker exited before it was ready (code ${code}, signal ${signal}). Output:\n${output()}`));
    function finish(error?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}
