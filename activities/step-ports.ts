// The activities hand each step its ports: the inbox, outbox and reports of the school's connector,
// and the ledger over the database (exchange files, deposits claimed once, the nights' compte-rendus).
// Then the step of steps/ runs; a test double that decides the outcome itself (runStep) is asked instead.
import type { Connector } from '../connectors/types';
import type { Db } from '../db/client';
import { cancelDeposit, recordDeposit } from '../db/queries/deposits';
import { recordExchangeFile } from '../db/queries/exchange-files';
import { runStep } from '../steps';
import { CALENDAR_APPLICATION } from '../steps/context';
import type { Ledger, StepEnvironment, StepOutcome, StepRequest } from '../steps/ports';

export interface StepPortDeps {
  db: Db;
}

/** The ledger of one step run: what the database remembers (and SIECLE's nights, through the connector), filed under the request's school and millésime. */
export function ledgerFor(deps: StepPortDeps, connector: Connector, request: StepRequest): Ledger {
  const { uai, millesime, step } = request;
  return {
    async recordFile(ref, kind) {
      await recordExchangeFile(deps.db, { sha256: ref.sha256, uai, kind, millesime, originalName: ref.name, bytes: ref.bytes, storageKey: ref.key });
    },
    async claimDeposit(target, inputSha256) {
      const claim = await recordDeposit(deps.db, { uai, millesime, step, inputSha256, targetApplication: CALENDAR_APPLICATION[target] });
      return { isNew: claim.isNew, cancel: () => cancelDeposit(deps.db, claim.deposit.id) };
    },
    nightReport: (file) => connector.nightReport?.({ uai, millesime }, file) ?? Promise.resolve(undefined),
  };
}

/** Runs one step for a school through its connector's ports. */
export async function runStepOn(deps: StepPortDeps, connector: Connector, request: StepRequest, env: StepEnvironment): Promise<StepOutcome> {
  if (connector.runStep) return connector.runStep(request, env);
  if (!connector.portsFor) throw new Error(`Le connecteur ${connector.kind} ne donne pas accès aux dossiers de l'établissement.`);
  await connector.beforeStep?.(request);
  return runStep({ request, env, ...connector.portsFor(request.uai), ledger: ledgerFor(deps, connector, request) });
}
