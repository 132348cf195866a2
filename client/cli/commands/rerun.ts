// `synchro rerun ID | --failed [--night D] [--uai U] [--json]`: re-runs failed runs, each as a new
// run linked to the failed one (kept for audit). A failed night resumes at that night's
// processing: the deposit already made is not made again.
import type { Command } from 'commander';
import { describeFailed, rerunFailed, type FailedRunView, type RerunOutcome } from '../../actions/rerun-failed';
import { connectForCommand } from '../../temporal/command-connection';
import { getStepRun } from '../../../db/queries/step-runs';
import { recordAudit } from '../../../db/queries/audit';
import { cliActor } from '../actor';
import { EXIT } from '../command';
import { withDatabase } from '../with-database';
import { dateValue, runIdValue, uaiValue } from '../option-values';

interface RerunOptions {
  failed?: boolean;
  night?: string;
  uai?: string;
  list?: boolean;
  json?: boolean;
  by?: string;
}

function renderFailed(views: FailedRunView[]): string {
  if (views.length === 0) return 'Aucune exécution en échec.';
  return views
    .map((v) => {
      const reruns = v.reruns.length === 0 ? 'jamais relancée' : `relances : ${v.reruns.map((r) => `${r.stepRunId} (${r.status})`).join(', ')}`;
      return `${String(v.stepRunId).padStart(6)}  ${v.uai}  ${v.step.padEnd(26)} nuit ${v.night ?? '—'}  Temporal ${v.inYear ? `dans l'année (${v.temporalStatus ?? 'introuvable'})` : (v.temporalStatus ?? 'introuvable')}  ${reruns}`;
    })
    .join('\n');
}

export function register(program: Command): void {
  program
    .command('rerun')
    .argument('[stepRunId]', "numéro de l'exécution en échec", runIdValue)
    .description("Relance une exécution en échec, ou toutes celles d'une nuit (--failed --night) : nouvelle exécution liée à l'échec, jamais de double dépôt.")
    .option('--failed', 'toutes les exécutions en échec (de la nuit --night, ou de --uai)')
    .option('--night <aaaa-mm-jj>', 'une nuit de traitement élève-groupe', dateValue)
    .option('--uai <uai>', 'un établissement', uaiValue)
    .option('--list', 'seulement lister les exécutions en échec (base et Temporal), sans relancer')
    .option('--by <identifiant>', "qui relance, pour le journal d'audit (par défaut : l'utilisateur du système)")
    .option('--json', 'sortie JSON')
    .action(async (stepRunId: string | undefined, options: RerunOptions) => {
      if (!stepRunId && !options.failed) {
        console.error('Indiquer une exécution (synchro rerun 42) ou --failed.');
        process.exitCode = EXIT.usage;
        return;
      }
      await withDatabase(async (db, settings) => {
        const temporal = await connectForCommand(settings);
        let results: RerunOutcome[];
        try {
          if (options.list) {
            const views = await describeFailed(temporal.client, db, { night: options.night, uai: options.uai });
            console.log(options.json ? JSON.stringify({ failed: views }, null, 2) : renderFailed(views));
            process.exitCode = EXIT.ok;
            return;
          }
          const selection = { night: options.night, uai: options.uai, ...(stepRunId !== undefined && { stepRunId: Number(stepRunId) }) };
          results = await rerunFailed(temporal.client, db, selection, { taskQueue: settings.temporal.taskQueue });
        } finally {
          await temporal.close();
        }
        const who = cliActor(options.by);
        for (const r of results) {
          if (!r.workflowId) continue;
          const run = await getStepRun(db, r.stepRunId);
          await recordAudit(db, { ...who, action: 'rerun', uai: run?.uai, details: { stepRunId: r.stepRunId, step: run?.step, workflowId: r.workflowId, via: 'cli' } });
        }
        console.log(
          options.json
            ? JSON.stringify({ reruns: results }, null, 2)
            : results.map((r) => (r.workflowId ? `relancée  ${r.stepRunId} → ${r.workflowId}` : `refusée   ${r.stepRunId} : ${r.refused}`)).join('\n') || 'Aucune exécution en échec.',
        );
        process.exitCode = results.some((r) => r.refused) ? EXIT.anomalies : EXIT.ok;
      });
    });
}
