// `synchro report RUN_ID`: one run's report, the same as the dashboard's report page, in text (or
// JSON). Exit code like `synchro check`: 0 nothing to say, 1 anomalies, 2 the run failed.
import type { Command } from 'commander';
import { PGLITE_HELP } from '../../actions/read-database';
import { runReport } from '../../actions/run-report';
import { renderRunReportText } from '../../actions/run-report-text';
import { EXIT } from '../command';
import { withDatabase } from '../with-database';
import { runIdValue } from '../option-values';

export function register(program: Command): void {
  program
    .command('report')
    .argument('<runId>', "numéro de l'exécution (affiché par status)", runIdValue)
    .description(`Compte-rendu d'une exécution d'étape (comme le compte-rendu SIECLE ou le rapport d'exécution LSU). ${PGLITE_HELP}`)
    .option('--json', 'sortie JSON pour les scripts')
    .action(async (runId: string, options: { json?: boolean }) => {
      const id = Number(runId);
      if (!Number.isSafeInteger(id) || id <= 0) {
        console.error(`Numéro d'exécution invalide « ${runId} ».`);
        process.exitCode = EXIT.usage;
        return;
      }
      await withDatabase(async (db) => {
        const report = await runReport(db, id);
        if (!report) {
          console.error(`Exécution ${id} introuvable.`);
          process.exitCode = EXIT.failed;
          return;
        }
        console.log(options.json ? JSON.stringify(report, null, 2) : renderRunReportText(report));
        const anomalies = Object.values(report.counts).some((n) => n > 0);
        process.exitCode = report.run.status === 'failed' || report.run.status === 'blocked' ? EXIT.failed : anomalies ? EXIT.anomalies : EXIT.ok;
      });
    });
}
