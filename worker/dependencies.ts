// What the activities need in a real process: the database, the content-addressed store under the
// data dir, and each school's connector (folder or sandbox) from its database row.
import type { ActivityDeps } from '../activities';
import type { Settings } from '../config/settings';
import { createConnectors, createContentStore } from '../connectors';
import type { Db } from '../db/client';

export function createWorkerDependencies(settings: Pick<Settings, 'dataDir'> & Partial<Pick<Settings, 'mail'>>, db: Db): ActivityDeps {
  const store = createContentStore(settings.dataDir);
  const connectors = createConnectors({ dataDir: settings.dataDir, db, store });
  return { db, store, connectorFor: (uai) => connectors.connectorForUai(uai), dataDir: settings.dataDir, ...(settings.mail && { mail: settings.mail }) };
}
