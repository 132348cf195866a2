// The folder connector: people (or their scripts) drop each application's exports in
// schools/<UAI>/<app>/inbox; what goes to the next application is written to its outbox under its
// official name; what the applications would answer (SIECLE's compte-rendu, LSU's rapport) is
// simulated by rules/ and written to reports/.
import type { Db } from '../db/client';
import { hasWaitingDeposit, processNight } from './night';
import { SchoolFolders } from './school-folders';
import { STEP_HANDLERS } from '../steps';
import type { Connector, ContentStore, StepEnvironment, StepOutcome, StepRequest } from './types';

export interface ConnectorDeps {
  dataDir: string;
  db: Db;
  /** The store of the installation (the activities pass theirs in each StepEnvironment too). */
  store: ContentStore;
}

export function runSharedStep(deps: ConnectorDeps, request: StepRequest, env: StepEnvironment): Promise<StepOutcome> {
  return STEP_HANDLERS[request.step]({ request, env, db: deps.db, folders: new SchoolFolders(deps.dataDir, request.uai) });
}

export function createFolderConnector(deps: ConnectorDeps): Connector {
  return {
    kind: 'folder',
    runStep: (request, env) => runSharedStep(deps, request, env),
    processNight: (request, env) => processNight(deps.db, deps.dataDir, request, env),
    hasWaitingDeposit: (uai, millesime) => hasWaitingDeposit(deps.db, deps.dataDir, uai, millesime),
  };
}
