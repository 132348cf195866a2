import type { Command } from 'commander';
import { createActivities } from '../../../activities';
import { createWorkerDependencies } from '../../../worker/dependencies';
import { loadSettings } from '../../../config/settings';
import { openDatabase } from '../../../db/open';
import { createWorker } from '../../../worker/worker';
import { createLogger, installTemporalRuntime } from '../../../worker/logger';
import { doctorReport, renderDoctorReport } from '../../doctor/report';
import { printSignInLinks, startWebServer } from '../../web/server';
import { connectTemporal } from '../../temporal/connection';
import { EXIT } from '../command';
import { demoLoaded, demoPhases, type DemoOptions } from '../../demo/demo-academie';

/** The demo runs beside the dashboard: its progress as lines, then where to look. */
async function runDemoInBackground(options: DemoOptions, say: (line: string) => void, url: string, after: () => Promise<void>): Promise<void> {
  try {
    if (await demoLoaded(options.db)) {
      say(`Démo déjà chargée : ${url}`);
      return;
    }
    for (const phase of demoPhases(options, {})) {
      say(`Démo : ${phase.title}…`);
      await phase.run((line) => say(`  ${line}`));
    }
    say(`Démo terminée : ${url} (ou « synchro status » une fois arrêté).`);
    await after();
  } catch (error) {
    say(`Démo interrompue : ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function register(program: Command): void {
  program
    .command('start')
    .description('Démarre tout en local : serveur Temporal embarqué, base PGlite, worker et tableau de bord ; puis affiche le diagnostic.')
    .option('--demo', "charge l'académie de démonstration (3 établissements fictifs, anomalies injectées) et la fait tourner ; déjà chargée, elle est gardée telle quelle")
    .action(async (options: { demo?: boolean }) => {
      const settings = loadSettings();
      const logger = createLogger(settings.logLevel);
      installTemporalRuntime(logger);
      const say = (line: string): void => console.log(line);

      const temporal = await connectTemporal(settings, { say });
      say(`Temporal : ${temporal.address}${temporal.embedded ? ' (serveur embarqué)' : ''}`);
      const database = await openDatabase(settings);
      say(`Base de données : ${database.driver}`);

      const worker = await createWorker({
        connection: temporal.nativeConnection,
        namespace: temporal.namespace,
        taskQueue: settings.temporal.taskQueue,
        activities: createActivities(createWorkerDependencies(settings, database.db)),
        codecKey: settings.codecKey,
      });
      const running = worker.run();
      say(`Worker : file « ${settings.temporal.taskQueue} »`);

      // The dashboard lives in this process: it reads the database this process holds (a PGlite
      // folder belongs to one process) and acts through this process's Temporal client.
      const web = await startWebServer({
        db: database.db,
        temporal: { client: temporal.client, taskQueue: settings.temporal.taskQueue },
        settings,
        dataDir: settings.dataDir,
        onError: (error) => logger.error({ err: error }, 'dashboard error'),
        say,
      });
      say(`Tableau de bord : ${web.url}`);
      await printSignInLinks(web, say);

      const report = await doctorReport(settings, { temporal, db: database });
      say(renderDoctorReport(report));
      if (temporal.embedded?.uiUrl) say(`Interface Temporal : ${temporal.embedded.uiUrl}`);
      say('Ctrl-C pour arrêter.');
      if (options.demo) void runDemoInBackground({ client: temporal.client, db: database.db, dataDir: settings.dataDir, taskQueue: settings.temporal.taskQueue }, say, web.url, () => printSignInLinks(web, say));

      const stop = (): void => worker.shutdown();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await running;
      await web.close();
      await database.close();
      await temporal.close();
      say('Arrêté proprement.');
      process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
    });
}
