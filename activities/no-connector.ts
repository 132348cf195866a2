// Until a school has a connector (folder or sandbox), its steps cannot run: say so as bad
// configuration (not retried) rather than retrying forever.
import type { StepPerformer } from './step-run';
import { StepRejected } from './step-run';

export const rejectWithoutConnector: StepPerformer = (input) =>
  Promise.reject(
    new StepRejected(`Aucun connecteur n'est configuré pour l'établissement ${input.uai} : étape ${input.step} impossible.`, [
      {
        code: 'CONFIG_CONNECTEUR',
        level: 'blocking',
        message: `Aucun connecteur n'est configuré pour l'établissement ${input.uai}.`,
        subject: {},
        correction: "Choisir un connecteur (dossier ou bac à sable) pour l'établissement.",
      },
    ]),
  );
