// Registering the schools an installation looks after: one by one (`schools add`) or from the
// académie's list (`schools import FILE.csv`). A school's calendar zone follows from its UAI;
// its folders (one inbox, outbox and reports per application) are created at once, so that
// files can be dropped before anything runs.
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
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
  await new SchoolFolders(dataDir, entry.uai).ensure();
  return upsertSchool(db, { uai: entry.uai.toUpperCase(), name: entry.name.trim(), academie: entry.academie.trim(), calendarZone: calendarZone(entry.uai), connectorKind: entry.connector });
}

export interface ParsedSchoolList {
  entries: SchoolEntry[];
  /** "ligne N : …" for every line that cannot be registered. */
  problems: string[];
}

const COLUMNS: Record<string, keyof SchoolEntry> = { uai: 'uai', rne: 'uai', nom: 'name', name: 'name', academie: 'academie', 'académie': 'academie', connecteur: 'connector', connector: 'connector' };

/**
 * The académie's list as CSV: a header line naming the columns (uai, nom, academie, connecteur
 * optional, default folder), separated by ";" (French spreadsheets) or ",", UTF-8 (BOM or not)
 * or ISO-8859-15 (what spreadsheets and the national applications write).
 */
export function parseSchoolList(bytes: Uint8Array): ParsedSchoolList {
  const buffer = Buffer.from(bytes);
  const utf8 = buffer.toString('utf8');
  const text = utf8.includes('\uFFFD') ? iconv.decode(buffer, 'iso-8859-15') : utf8;
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.split(';').length >= firstLine.split(',').length ? ';' : ',';
  const records: string[][] = parse(text, { bom: true, delimiter, skip_empty_lines: true, trim: true, relax_column_count: true });
  const [header, ...rows] = records;
  if (!header) return { entries: [], problems: ['fichier vide.'] };
  const fields = header.map((h) => COLUMNS[h.toLowerCase()]);
  const missing = (['uai', 'name', 'academie'] as const).filter((f) => !fields.includes(f));
  if (missing.length > 0) return { entries: [], problems: [`ligne 1 : colonnes attendues uai;nom;academie[;connecteur], il manque ${missing.join(', ')}.`] };

  const entries: SchoolEntry[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const line = index + 2;
    const entry: Partial<SchoolEntry> = {};
    fields.forEach((field, column) => {
      if (field) (entry as Record<string, string>)[field] = row[column] ?? '';
    });
    entry.uai = entry.uai?.toUpperCase();
    entry.connector = ((entry.connector as string | undefined) || 'folder') as ConnectorKind;
    const problem = entryProblem(entry);
    if (problem) problems.push(`ligne ${line} : ${problem}`);
    else if (seen.has(entry.uai!)) problems.push(`ligne ${line} : ${entry.uai} déjà présent ligne ${seen.get(entry.uai!)}.`);
    else {
      seen.set(entry.uai!, line);
      entries.push(entry as SchoolEntry);
    }
  });
  return { entries, problems };
}
