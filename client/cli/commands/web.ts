// `synchro web`: serves the dashboard on SYNCHRO_WEB_HOST:SYNCHRO_WEB_PORT (127.0.0.1:8080) until
// interrupted. The pages read the database; the buttons go through Temporal and need
// SYNCHRO_WEB_TOKEN. Temporal unreachable: the pages still work, the buttons say why not.
// `--demo` serves an in-memory database loaded with the rows a real run of the demo académie left
// (client/web/demo-fixture.ts), to try the dashboard safely.
import type { Command } from 'commander';
import { loadSettings } from '../../../config/settings';
import { openDb, migrate, type OpenedDb } from '../../../db/client';
import { openForReading, PGLITE_HELP } from '../../actions/read-database';
import { connectForCommand, TemporalUnreachable, type CommandTemporal } from '../../temporal/command-connection';
import { loadDemoFixture } from '../../web/demo-fixture';
import { printSignInLinks, startWebServer } from '../../web/server';
import { EXIT } from '../command';
import { positiveIntegerValue } from '../option-values';

interface WebOptions {
  host?: string;
  port?: string;
  demo?: boolean;
}

async function demoDatabase(): Promise<OpenedDb> {
  const opened = await openDb({ inMemory: true });
  await migrate(opened.db);
  await loadDemoFixture(opened.db);
  return opened;
}

export function register(program: Command): void {
  program
    .command('web')
    .description(`Sert le tableau de bord (grille de l'académie, historique par établissement, comptes-rendus). ${PGLITE_HELP}`)
    .option('--host <hôte>', 'adresse d\'écoute (par défaut SYNCHRO_WEB_HOST, 127.0.0.1)')
    .option('--port <port>', 'port (par défaut SYNCHRO_WEB_PORT, 8080)', positiveIntegerValue)
    .option('--demo', "base de démonstration en mémoire (les trois établissements de l'académie de démo, tels qu'un vrai passage de la chaîne les a laissés), sans Temporal")
    .action(async (options: WebOptions) => {
      const settings = loadSettings();
      let database: OpenedDb;
      if (options.demo) database = await demoDatabase();
      else {
        const opened = await openForReading(settings);
        if ('busy' in opened) {
          console.error(opened.busy);
          process.exitCode = EXIT.failed;
          return;
        }
        database = opened.database;
      }
      let temporal: CommandTemporal | undefined;
      if (!options.demo) {
        temporal = await connectForCommand(settings).catch((error: unknown) => {
          if (!(error instanceof TemporalUnreachable)) throw error;
          console.error(`${error.message} Le tableau de bord sert les pages sans les actions.`);
          return undefined;
        });
      }
      const server = await startWebServer(
        { db: database.db, settings, dataDir: settings.dataDir, temporal: temporal && { client: temporal.client, taskQueue: settings.temporal.taskQueue }, say: (line) => console.log(line) },
        { host: options.host, port: options.port === undefined ? undefined : Number(options.port) },
      );
      console.log(`Tableau de bord : ${server.url}`);
      await printSignInLinks(server, (line) => console.log(line));
      // main.ts exits when the action resolves: resolve only when asked to stop.
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
      await temporal?.close();
      await database.close();
    });
}
