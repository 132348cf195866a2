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

let installed = false;

/** Installs the Temporal runtime once per process, with its logs forwarded to pino. */
export function installTemporalRuntime(logger: Logger): void {
  if (installed) return;
  installed = true;
  const temporalLevel: LogLevel = logger.levelVal >= 40 ? 'WARN' : logger.levelVal >= 30 ? 'INFO' : 'DEBUG';
  Runtime.install({
    logger: new DefaultLogger(temporalLevel, (entry) => {
      logger[TEMPORAL_TO_PINO[entry.level]]({ ...entry.meta, source: 'temporal' }, entry.message);
    }),
    telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } },
  });
}
