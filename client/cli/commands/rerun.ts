import type { Command } from 'commander';
import { loadSettings } from '../../../config/settings';
import { listFailedRunsOfNight, listStepRuns } from '../../../db/queries/step-runs';
import { ActionRefused } from '../../actions/errors';
import { openForReading } from '../../actions/read-database';
import { rerunStep } from '../../actions/rerun-step';
import { connectForCommand } from '../../temporal/command-connection';
import { EXIT } from '../command';

interface RerunOptions {
  failed?: boolean;
  night?: string;
  uai?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('rerun [stepRunId]')
    .description("Relance une exécution en échec, ou toutes celles d'une nuit (--failed --night) : nouvelle exécution liée à l'échec, jamais de double dépôt.")
    .option('--failed', 'toutes les exécutions en échec (de la nuit --night, ou de --uai)')
    .option('--night <aaaa-mm-jj>', 'une nuit de traitement élève-groupe')
    .option('--uai <uai>', 'un établissement')
    .option('--json', 'sortie JSON')
    .action(async (stepRunId: string | undefined, options: RerunOptions) => {
      if (!stepRunId && !options.failed) {
        console.error('Indiquer une exécution (synchro rerun 42) ou --failed.');
        process.exitCode = EXIT.usage;
        return;
      }
      const settings = loadSettings();
      const opened = await openForReading(settings);
      if ('busy' in opened) {
        console.error(opened.busy);
        process.exitCode = EXIT.failed;
        return;
      }
      const { database } = opened;
      try {
        const failed = stepRunId
          ? [{ id: Number(stepRunId) }]
          : (options.night ? await listFailedRunsOfNight(database.db, options.night) : await listStepRuns(database.db, { status: 'failed', uai: options.uai })).filter(
              (run) => !options.uai || run.uai === options.uai,
            );
        const temporal = await connectForCommand(settings);
        const results: { stepRunId: number; workflowId?: string; refused?: string }[] = [];
        try {
          for (const run of failed) {
            try {
              const started = await rerunStep(temporal.client, database.db, run.id, { taskQueue: settings.temporal.taskQueue });
              results.push({ stepRunId: run.id, workflowId: started.workflowId });
            } catch (error) {
              if (!(error instanceof ActionRefused)) throw error;
              results.push({ stepRunId: run.id, refused: error.message });
            }
          }
        } finally {
          await temporal.close();
        }
        console.log(
          options.json
            ? JSON.stringify({ reruns: results }, null, 2)
            : results.map((r) => (r.workflowId ? `relancée  ${r.stepRunId} → ${r.workflowId}` : `refusée   ${r.stepRunId} : ${r.refused}`)).join('\n') || 'Aucune exécution en échec.',
        );
        process.exitCode = results.some((r) => r.refused) ? EXIT.anomalies : EXIT.ok;
      } finally {
        await database.close();
      }
    });
}
