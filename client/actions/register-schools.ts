// Registering the schools an installation looks after: one by one (`schools add`) or from the
// académie's list (`schools import FILE.csv`). A school's calendar zone follows from its UAI;
// its root folder is created at once, so that files can be dropped before anything runs; the
// boxes inside (inbox, outbox, reports per application) are made when first written.
import { mkdir } from 'node:fs/promises';
import type { Db } from '../../db/client';
import { upsertSchool } from '../../db/queries/schools';
import type { ConnectorKind, School } from '../../db/schema';
import { uaiProblem } from '../../formats/uai';
import { calendarZone } from '../../rules/calendar';
import { SchoolFolders } from '../../connectors/school-folders';

export interface SchoolEntry {
  uai: string;
  name: string;
  academie: string;
  connector: ConnectorKind;
}

const CONNECTORS: readonly ConnectorKind[] = ['folder', 'sandbox'];

/** What is wrong with an entry, in French; undefined when it can be registered. */
export function entryProblem(entry: Partial<SchoolEntry>): string | undefined {
  if (!entry.uai) return 'UAI manquant.';
  const uai = uaiProblem(entry.uai);
  if (uai) return uai;
  if (!entry.name?.trim()) return 'nom manquant.';
  if (!entry.academie?.trim()) return 'académie manquante.';
  if (entry.connector && !CONNECTORS.includes(entry.connector)) return `connecteur « ${entry.connector} » inconnu (folder ou sandbox).`;
  return undefined;
}

export async function registerSchool(db: Db, dataDir: string, entry: SchoolEntry): Promise<School> {
  const problem = entryProblem(entry);
  if (problem) throw new Error(`${entry.uai} : ${problem}`);
  await mkdir(new SchoolFolders(dataDir, entry.uai).root, { recursive: true });
  return upsertSchool(db, { uai: entry.uai.toUpperCase(), name: entry.name.trim(), academie: entry.academie.trim(), calendarZone: calendarZone(entry.uai), connectorKind: entry.connector });
}
