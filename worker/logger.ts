// pino for our own logs, and the bridge that sends Temporal's runtime and activity logs through it.
// Logs carry ids (UAI, step, sha256), never pupils' names, birth dates or INE.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import pino, { type Logger } from 'pino';

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  // Logs go to stderr so that stdout stays clean for `--json` output.
  return pino({ level, base: { app: 'synchro-eple' } }, pino.destination(2));
}

const TEMPORAL_TO_PINO: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Core warns when a workflow task lasts over 5 s (TMPRL1104). A school year's task runs its steps
 * as local activities (workflows/year-runner.ts) and lasts as long as they do, queue for a slot
 * included: expected there, so at debug level for that type (500 such lines in an académie's year
 * would hide the warnings that matter). Core keeps such a task alive past its timeout by itself.
 */
const EXPECTED_LONG_TASKS: ReadonlySet<string> = new Set(['schoolYear']);

/** The pino level of one of Temporal's log entries. */
export function pinoLevelOf(entry: { level: LogLevel; message: string; meta?: Record<string, unknown> }): 'trace' | 'debug' | 'info' | 'warn' | 'error' {
  if (entry.level === 'WARN' && entry.message.includes('TMPRL1104') && EXPECTED_LONG_TASKS.has(String(entry.meta?.workflowType))) return 'debug';
  return TEMPORAL_TO_PINO[entry.level];
}

let installed = false;

/** Installs the Temporal runtime once per process, with its logs forwarded to pino. */
export function installTemporalRuntime(logger: Logger): void {
  if (installed) return;
  installed = true;
  const temporalLevel: LogLevel = logger.levelVal >= 40 ? 'WARN' : logger.levelVal >= 30 ? 'INFO' : 'DEBUG';
  Runtime.install({
    logger: new DefaultLogger(temporalLevel, (entry) => {
      logger[pinoLevelOf(entry)]({ ...entry.meta, source: 'temporal' }, entry.message);
    }),
    telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } },
  });
}
