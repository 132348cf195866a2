import type { Command } from 'commander';
import { loadSettings } from '../../../config/settings';
import { openDatabase } from '../../../db/open';
import { RunRequestError, startRun } from '../../runs/start-runs';
import { connectForCommand } from '../../temporal/command-connection';
import { EXIT } from '../command';
import { dateValue, millesimeValue, periodValue, uaiValue } from '../option-values';

interface RunOptions {
  uai?: string;
  academie?: string;
  millesime?: string;
  period?: string;
  on: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('run <kind>')
    .description("Lance la chaîne : yearly (année scolaire), term (fin de période, --period), nightly (nuit élève-groupe).")
    .option('--uai <uai>', 'un établissement', uaiValue)
    .option('--academie <code>', "tous les établissements d'une académie")
    .option('--millesime <aaaa>', 'millésime SIECLE (par défaut : celui en cours à la date --on)', millesimeValue)
    .option('--period <n>', 'période (term)', periodValue)
    .option('--on <aaaa-mm-jj>', 'date métier (la nuit pour nightly)', dateValue, new Date().toISOString().slice(0, 10))
    .option('--json', 'sortie JSON')
    .action(async (kind: string, options: RunOptions) => {
      if (kind !== 'yearly' && kind !== 'term' && kind !== 'nightly') {
        console.error(`Type d'exécution inconnu « ${kind} » : yearly, term ou nightly.`);
        process.exitCode = EXIT.usage;
        return;
      }
      const settings = loadSettings();
      const database = await openDatabase(settings);
      const temporal = await connectForCommand(settings).catch(async (error: unknown) => {
        await database.close();
        throw error;
      });
      try {
        const run = await startRun(temporal.client, database.db, {
          kind: kind,
          uai: options.uai,
          academie: options.academie,
          millesime: options.millesime ? Number(options.millesime) : undefined,
          period: options.period ? Number(options.period) : undefined,
          on: options.on,
          taskQueue: settings.temporal.taskQueue,
        });
        console.log(options.json ? JSON.stringify(run) : `${run.started ? 'Lancé' : 'Déjà en cours'} : ${run.workflowId}`);
      } catch (error) {
        if (!(error instanceof RunRequestError)) throw error;
        console.error(error.message);
        process.exitCode = EXIT.usage;
      } finally {
        await temporal.close();
        await database.close();
      }
    });
}
