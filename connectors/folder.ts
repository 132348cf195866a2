// The folder connector: people (or their scripts) drop each application's exports in
// schools/<UAI>/<app>/inbox; what goes to the next application is written to its outbox under its
// official name; what the applications would answer (SIECLE's compte-rendu, LSU's rapport) is
// simulated by rules/ and written to reports/. It implements the steps' ports over those folders
// (the steps themselves are in steps/, run by the activities).
import type { Db } from '../db/client';
import { hasWaitingDeposit, nightReportOf, processNight } from './night';
import { folderPorts, SchoolFolders } from './school-folders';

export { folderPorts } from './school-folders';
import type { Connector, ContentStore } from './types';

export interface ConnectorDeps {
  dataDir: string;
  db: Db;
  /** The store of the installation (the activities pass theirs in each StepEnvironment too). */
  store: ContentStore;
}

export function createFolderConnector(deps: ConnectorDeps): Connector {
  return {
    kind: 'folder',
    portsFor: (uai) => folderPorts(new SchoolFolders(deps.dataDir, uai)),
    nightReport: (school, file) => nightReportOf(deps.db, new SchoolFolders(deps.dataDir, school.uai), { ...school, ...file }),
    processNight: (request, env) => processNight(deps.db, deps.dataDir, request, env),
    hasWaitingDeposit: (uai, millesime) => hasWaitingDeposit(deps.db, deps.dataDir, uai, millesime),
  };
}
