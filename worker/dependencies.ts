// What the activities need in a real process: the database, the content-addressed store under the
// data dir, and each school's connector (folder or sandbox) from its database row. The process's
// parsed-files cache (steps/parsed-files.ts) keeps its entries under the data dir too, from here.
import type { ActivityDeps } from '../activities';
import type { Settings } from '../config/settings';
import { createConnectors, createContentStore } from '../connectors';
import { DiskParsedStore, parsedStoreDir } from '../connectors/parsed-store';
import type { Db } from '../db/client';
import { parsedFiles } from '../steps/parsed-files';

export function createWorkerDependencies(settings: Pick<Settings, 'dataDir'> & Partial<Pick<Settings, 'mail' | 'parsedCacheBytes'>>, db: Db): ActivityDeps {
  const store = createContentStore(settings.dataDir);
  const connectors = createConnectors({ dataDir: settings.dataDir, db, store });
  const cacheBytes = settings.parsedCacheBytes;
  parsedFiles.useStore(cacheBytes === 0 ? undefined : new DiskParsedStore(parsedStoreDir(settings.dataDir), { ...(cacheBytes !== undefined && { budgetBytes: cacheBytes }) }));
  return { db, store, connectorFor: (uai) => connectors.connectorForUai(uai), dataDir: settings.dataDir, ...(settings.mail && { mail: settings.mail }) };
}
