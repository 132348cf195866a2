// `synchro schools import FILE.csv`: the académie's list, all of it or nothing. Bounded: the size
// comes from `stat` before reading, lines are read as a stream (csv-parse), rows go to the
// database in batches of 5,000 (one JSON parameter each) inside ONE transaction, and nothing is written on refusal
// (every wrong line is listed, so that one fix is enough). A school's folders are made lazily
// (formats/folders write what they need when they need it): registration makes its root only, and
// only once the transaction has committed, so a refused list leaves no folder behind.
//
// Encoding is decided per file, before parsing: UTF-8 (BOM or not) when every line is UTF-8,
// ISO-8859-15 when no line is; a file that mixes them (a list pasted together from two
// spreadsheets) is refused with the lines of each, instead of importing "LycÃ©e" without a word.
import { createReadStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { Db } from '../../db/client';
import { upsertSchools } from '../../db/queries/schools';
import type { ConnectorKind, NewSchool } from '../../db/schema';
import { SchoolFolders } from '../../connectors/school-folders';
import { calendarZone } from '../../rules/calendar';
import { entryProblem, type SchoolEntry } from './register-schools';

/** 7,000 public collèges and lycées in France, ~60 bytes a line: 16 Mo is a whole country many times over. */
export const SCHOOL_LIST_MAX_BYTES = 16 * 1024 * 1024;
/** Problems listed in full; past this the count is given (a file of the wrong kind would list every line). */
const MAX_LISTED = 1000;

export interface SchoolListImport {
  imported: number;
  problems: string[];
}

const COLUMNS: Record<string, keyof SchoolEntry> = { uai: 'uai', rne: 'uai', nom: 'name', name: 'name', academie: 'academie', 'académie': 'academie', connecteur: 'connector', connector: 'connector' };

type Encoding = 'utf-8' | 'iso-8859-15';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function lineList(lines: number[]): string {
  const shown = lines.slice(0, 10).join(', ');
  return lines.length > 10 ? `${shown}… (${lines.length} lignes)` : shown;
}

/** First pass, on bytes: which lines are UTF-8 beyond ASCII, which are not UTF-8 at all. */
async function encodingOf(path: string): Promise<{ encoding: Encoding } | { problem: string }> {
  const utf8Lines: number[] = [];
  const latinLines: number[] = [];
  let line = 1;
  let pending: Buffer = Buffer.alloc(0);
  const judge = (bytes: Buffer, at: number): void => {
    if (bytes.every((b) => b < 0x80)) return;
    try {
      utf8.decode(bytes);
      if (!(at === 1 && bytes.length === 3 && bytes[0] === 0xef)) utf8Lines.push(at);
    } catch {
      latinLines.push(at);
    }
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    let nl = data.indexOf(0x0a);
    while (nl >= 0) {
      judge(data.subarray(line === 1 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0, nl), line);
      line += 1;
      data = data.subarray(nl + 1);
      nl = data.indexOf(0x0a);
    }
    pending = Buffer.from(data);
  }
  if (pending.length > 0) judge(pending, line);
  if (utf8Lines.length > 0 && latinLines.length > 0) {
    return {
      problem: `le fichier mêle deux encodages : UTF-8 (ligne ${lineList(utf8Lines)}) et ISO-8859-15 (ligne ${lineList(latinLines)}). L'enregistrer en entier dans un seul encodage (UTF-8 de préférence) puis l'importer de nouveau.`,
    };
  }
  return { encoding: latinLines.length > 0 ? 'iso-8859-15' : 'utf-8' };
}

/** The delimiter from the header line: ";" (French spreadsheets) unless "," is more frequent. */
async function delimiterOfFile(path: string, encoding: Encoding): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const headerLine = iconv.decode(head.subarray(0, bytesRead), encoding).replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
    return headerLine.split(';').length >= headerLine.split(',').length ? ';' : ',';
  } finally {
    await handle.close();
  }
}

function rowProblem(entry: Partial<SchoolEntry>, raw: string[]): string | undefined {
  // A NUL byte is never part of a name, and PostgreSQL text cannot hold one.
  if (raw.some((v) => v.includes('\u0000'))) return 'caractère NUL (octet 0) dans la ligne : fichier corrompu ou binaire.';
  return entryProblem(entry);
}

/**
 * Reads and registers the list at `path`. Returns the problems (and imports nothing) when any
 * line is wrong or the file cannot be read as a list.
 */
export async function importSchoolList(db: Db, dataDir: string, path: string): Promise<SchoolListImport> {
  const size = (await stat(path)).size;
  if (size === 0) return { imported: 0, problems: ['fichier vide.'] };
  if (size > SCHOOL_LIST_MAX_BYTES) return { imported: 0, problems: [`le fichier pèse ${(size / 1024 / 1024).toFixed(0)} Mo, au-delà de la limite de ${SCHOOL_LIST_MAX_BYTES / 1024 / 1024} Mo pour une liste d'établissements.`] };
  const decided = await encodingOf(path);
  if ('problem' in decided) return { imported: 0, problems: [decided.problem] };

  const problems: string[] = [];
  let problemCount = 0;
  const note = (problem: string): void => {
    problemCount += 1;
    if (problems.length < MAX_LISTED) problems.push(problem);
  };
  const seen = new Map<string, number>();
  const accepted: string[] = [];
  let imported = 0;

  class Refused extends Error {}
  try {
    await db.transaction(async (tx) => {
      const decoded = createReadStream(path).pipe(iconv.decodeStream(decided.encoding)).pipe(stripBom());
      const parser = parse({ delimiter: await delimiterOfFile(path, decided.encoding), skip_empty_lines: true, trim: true, relax_column_count: true, info: true });
      let fields: (keyof SchoolEntry | undefined)[] | undefined;
      let batch: NewSchool[] = [];
      decoded.pipe(parser);
      for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number; raw?: string } }>) {
        const { lines: line } = record.info;
        const row = record.record;
        if (!fields) {
          fields = row.map((h) => COLUMNS[h.toLowerCase()]);
          const missing = (['uai', 'name', 'academie'] as const).filter((f) => !fields!.includes(f));
          if (missing.length > 0) {
            note(`ligne ${line} : colonnes attendues uai;nom;academie[;connecteur], il manque ${missing.join(', ')}.`);
            break;
          }
          continue;
        }
        const entry: Partial<SchoolEntry> = {};
        fields.forEach((field, column) => {
          if (field) (entry as Record<string, string>)[field] = row[column] ?? '';
        });
        entry.uai = entry.uai?.toUpperCase();
        entry.connector = ((entry.connector as string | undefined) || 'folder') as ConnectorKind;
        const problem = rowProblem(entry, row);
        if (problem) note(`ligne ${line} : ${problem}`);
        else if (seen.has(entry.uai!)) note(`ligne ${line} : ${entry.uai} déjà présent ligne ${seen.get(entry.uai!)}.`);
        else {
          seen.set(entry.uai!, line);
          if (problemCount > 0) continue; // refused anyway: keep reading to list every line, write nothing
          const e = entry as SchoolEntry;
          batch.push({ uai: e.uai, name: e.name.trim(), academie: e.academie.trim(), calendarZone: calendarZone(e.uai), connectorKind: e.connector });
          accepted.push(e.uai);
          if (batch.length >= 5000) {
            await upsertSchools(tx, batch);
            batch = [];
          }
        }
      }
      if (!fields) note('fichier vide.');
      if (problemCount > 0) throw new Refused();
      await upsertSchools(tx, batch);
      imported = accepted.length;
    });
  } catch (error) {
    if (error instanceof Refused) {
      if (problemCount > problems.length) problems.push(`… et ${problemCount - problems.length} autre(s) ligne(s) en erreur.`);
      return { imported: 0, problems };
    }
    const code = (error as { code?: string }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED' || /^CSV_/.test(code ?? '')) return { imported: 0, problems: [`fichier CSV mal formé (${(error as Error).message}).`] };
    throw error;
  }
  // Committed: each school's root folder (drop looks for it); boxes are made when first written.
  // Sixteen at a time: libuv runs them on its thread pool, a 100,000-school list waits less.
  for (let at = 0; at < accepted.length; at += 16) {
    await Promise.all(accepted.slice(at, at + 16).map((uai) => mkdir(new SchoolFolders(dataDir, uai).root, { recursive: true })));
  }
  return { imported, problems: [] };
}

function stripBom(): Transform {
  let first = true;
  return new Transform({
    decodeStrings: false,
    transform(chunk: string | Buffer, _encoding, done) {
      let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      done(null, text);
    },
  });
}
