// `synchro status`: the académie grid in a terminal (or JSON for scripts): for every school, the
// latest run of each step of its newest millésime, with its anomaly counts per level.
// With the embedded PGlite, the running `synchro start` owns the database and serves it: this
// command reads it through that process.
import type { Command } from 'commander';
import { isStepId } from '../../../workflows/steps';
import { PGLITE_HELP } from '../../actions/read-database';
import { schoolStatuses, type StatusFilter } from '../../actions/school-status';
import { renderStatus, statusJson } from '../render-status';
import { EXIT } from '../command';
import { withDatabase } from '../with-database';
import { millesimeValue, stepValue, uaiValue } from '../option-values';

interface StatusOptions {
  uai?: string;
  academie?: string;
  step?: string;
  millesime?: string;
  failed?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('status')
    .description(
      `Où en est chaque établissement : la dernière exécution de chaque étape, avec ses anomalies par niveau. ${PGLITE_HELP}`,
    )
    .option('--uai <uai>', 'un établissement', uaiValue)
    .option('--academie <nom>', 'une académie')
    .option('--step <étape>', 'une seule étape (sts-edt, siecle-pronote, …)', stepValue)
    .option('--millesime <aaaa>', 'ce millésime (par défaut : le plus récent de chaque établissement)', millesimeValue)
    .option('--failed', 'seulement les établissements ayant une étape en échec')
    .option('--json', 'sortie JSON pour les scripts')
    .action(async (options: StatusOptions) => {
      if (options.step !== undefined && !isStepId(options.step)) {
        console.error(`Étape inconnue « ${options.step} ».`);
        process.exitCode = EXIT.usage;
        return;
      }
      const filter: StatusFilter = { uai: options.uai, academie: options.academie, step: options.step, status: options.failed ? 'failed' : undefined };
      if (options.millesime !== undefined) filter.millesime = Number(options.millesime);
      await withDatabase(async (db) => {
        const rows = await schoolStatuses(db, filter);
        const schools = rows.map(statusJson);
        console.log(options.json ? JSON.stringify({ schools }, null, 2) : renderStatus(rows));
        process.exitCode = EXIT.ok;
      });
    });
}
