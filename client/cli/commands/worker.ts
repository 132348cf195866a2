import { NativeConnection } from '@temporalio/worker';
import type { Command } from 'commander';
import { createActivities } from '../../../activities';
import { loadSettings } from '../../../config/settings';
import { openDatabase } from '../../../db/open';
import { createWorkerDependencies } from '../../../worker/dependencies';
import { createLogger, installTemporalRuntime } from '../../../worker/logger';
import { createWorker, WORKFLOW_CACHE_SIZE } from '../../../worker/worker';
import { connectTemporal } from '../../temporal/connection';
import { connectIfListening } from '../../temporal/probe';
import { EXIT } from '../command';
import { positiveIntegerValue } from '../option-values';

export function register(program: Command): void {
  program
    .command('worker')
    .description("Un worker de plus : le cluster de TEMPORAL_ADDRESS, ou le serveur embarqué d'un « synchro start » ; la base de DATABASE_URL (PostgreSQL, partageable).")
    .option('--max-activities <n>', "activités en parallèle (et autant d'activités locales : les étapes des années scolaires)", positiveIntegerValue, '20')
    .option('--max-cached-workflows <n>', 'workflows gardés en mémoire entre leurs tâches (les autres sont rejoués depuis leur historique)', positiveIntegerValue, String(WORKFLOW_CACHE_SIZE))
    .option('--workflow-timeout <ms>', "durée maximale (ms) du code d'un workflow à chaque entrée, au-delà de laquelle sa tâche échoue (le chien de garde de Temporal, 5000 dans le SDK) ; sans : aucune, car chaque entrée coûte alors un thread", positiveIntegerValue)
    .action(async (options: { maxActivities: string; maxCachedWorkflows: string; workflowTimeout?: string }) => {
      const settings = loadSettings();
      const logger = createLogger(settings.logLevel);
      installTemporalRuntime(logger);
      let connection: NativeConnection;
      let close: () => Promise<void>;
      if (settings.temporal.address) {
        const handle = await connectTemporal(settings);
        connection = handle.nativeConnection;
        close = () => handle.close();
      } else {
        const address = `127.0.0.1:${settings.temporal.embeddedPort}`;
        const probe = await connectIfListening(address);
        await probe?.close();
        if (!probe) {
          console.error(`Temporal ne répond pas sur ${address} : lancez « synchro start » ou définissez TEMPORAL_ADDRESS.`);
          process.exitCode = EXIT.failed;
          return;
        }
        connection = await NativeConnection.connect({ address });
        close = () => connection.close();
      }
      const database = await openDatabase(settings);
      const worker = await createWorker({
        connection,
        namespace: settings.temporal.namespace,
        taskQueue: settings.temporal.taskQueue,
        activities: createActivities(createWorkerDependencies(settings, database.db)),
        codecKey: settings.codecKey,
        maxConcurrentActivityTaskExecutions: Number(options.maxActivities),
        maxCachedWorkflows: Number(options.maxCachedWorkflows),
        ...(options.workflowTimeout !== undefined && { workflowTimeoutMs: Number(options.workflowTimeout) }),
      });
      process.once('SIGINT', () => worker.shutdown());
      process.once('SIGTERM', () => worker.shutdown());
      logger.info({ taskQueue: settings.temporal.taskQueue, driver: database.driver }, 'worker started');
      console.log(`Worker prêt : file « ${settings.temporal.taskQueue} », base ${database.driver}.`);
      try {
        await worker.run();
      } finally {
        await database.close();
        await close();
      }
    });
}
