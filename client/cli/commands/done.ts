// `synchro done UAI STEP`: "I have pressed the button in STS-Web" — confirms a manual step of the
// school's year. Needs only Temporal (no database), so it works while `synchro start` runs.
import type { Command } from 'commander';
import { loadSettings } from '../../../config/settings';
import { millesimeOf, schoolYearOn } from '../../../rules/calendar';
import { isStepId } from '../../../workflows/steps';
import { confirmStep } from '../../actions/confirm-step';
import { ActionRefused } from '../../actions/errors';
import { connectForCommand, TemporalUnreachable } from '../../temporal/command-connection';
import { recordAudit, type AuditInput } from '../../../db/queries/audit';
import { openForReading } from '../../actions/read-database';
import { cliActor } from '../actor';
import { EXIT } from '../command';
import { millesimeValue } from '../option-values';

interface DoneOptions {
  millesime?: string;
  by?: string;
  json?: boolean;
}

/**
 * The confirmation is written to the audit log (through the running `synchro start` when it serves
 * the embedded PGlite); only a holder that serves nothing keeps it out, and the command says so
 * (the workflow history keeps `by`).
 */
async function auditConfirmation(entry: AuditInput): Promise<void> {
  const opened = await openForReading(loadSettings());
  if ('busy' in opened) {
    console.error(`Confirmation non écrite au journal d'audit : ${opened.busy}`);
    return;
  }
  try {
    await recordAudit(opened.database.db, entry);
  } finally {
    await opened.database.close();
  }
}

export function register(program: Command): void {
  program
    .command('done <uai> <step>')
    .description("Confirme une étape manuelle (ex. sts-siecle-structure : bouton de STS-Web) de l'année scolaire d'un établissement.")
    .option('--millesime <aaaa>', "millésime SIECLE (par défaut : celui de l'année en cours)", millesimeValue)
    .option('--by <identifiant>', "qui confirme (identifiant de l'opérateur ; par défaut l'utilisateur du système), écrit au journal d'audit")
    .option('--json', 'sortie JSON pour les scripts')
    .action(async (uai: string, step: string, options: DoneOptions) => {
      if (!isStepId(step)) {
        console.error(`Étape inconnue « ${step} ».`);
        process.exitCode = EXIT.usage;
        return;
      }
      const millesime = options.millesime !== undefined ? Number(options.millesime) : millesimeOf('siecle', schoolYearOn(uai, new Date().toISOString().slice(0, 10)));
      if (!Number.isInteger(millesime)) {
        console.error(`Millésime invalide « ${options.millesime} ».`);
        process.exitCode = EXIT.usage;
        return;
      }
      try {
        const temporal = await connectForCommand(loadSettings());
        try {
          const who = cliActor(options.by);
          const answer = await confirmStep(temporal.client, { uai, millesime, step, by: who.actor.subject });
          if (answer.accepted) await auditConfirmation({ ...who, action: 'confirm', uai, details: { step, millesime, via: 'cli' } });
          console.log(options.json ? JSON.stringify({ uai, millesime, step, ...answer }, null, 2) : answer.message);
          process.exitCode = answer.accepted ? EXIT.ok : EXIT.failed;
        } finally {
          await temporal.close();
        }
      } catch (error) {
        if (!(error instanceof ActionRefused) && !(error instanceof TemporalUnreachable)) throw error;
        if (options.json) console.log(JSON.stringify({ uai, millesime, step, accepted: false, message: error.message }, null, 2));
        else console.error(error.message);
        process.exitCode = EXIT.failed;
      }
    });
}
