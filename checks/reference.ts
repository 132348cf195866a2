// The school's reference data: its SIECLE exports (zips or XML), its sts_emp, optionally its
// emp_sts and lsu-state.json — the --reference folder of `synchro check`, or the files a connector
// picked in the school's inboxes. Read once, bounded (formats/bounded-read.ts) and parsed in the
// parse pool. A reference file that is there but cannot be read is
// never dropped: it is an `unreadable` entry (a Bloquant anomaly naming it) that `synchro check`
// reports and a step refuses at once (otherwise LSU's base sync would wait 14 days for a pupils
// export that is there). Input/output errors (EACCES, EIO, a file gone between listing and reading)
// are not the file's fault: with `ioErrors: 'throw'` (the steps) they are thrown, for Temporal to
// retry. Only a file that is not an exchange file at all, under a name that is not a reference
// file's, is merely ignored with a warning (a --reference folder may hold other things).
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readBoundedFile } from '../formats/bounded-read.js';
import type { readExchangeFile } from '../formats/detect.js';
import { isExchangeFileError } from '../formats/errors.js';
import { parseExchangeFile } from '../formats/parse-pool.js';
import type { EmpStsFile, FileHeader, SiecleCommuns, SiecleEleves, SiecleNomenclature, SiecleStructures, StsStructureFile } from '../formats/types.js';
import type { Anomaly } from '../rules/anomaly.js';
import { parseLsuState, type LsuState } from '../rules/lsu-state.js';

export interface Reference {
  eleves?: SiecleEleves;
  structures?: SiecleStructures;
  communs?: SiecleCommuns;
  nomenclature?: SiecleNomenclature;
  sts?: StsStructureFile;
  edt?: EmpStsFile;
  state?: LsuState;
  headers: { file: string; header: FileHeader }[];
  /** Files ignored because they are not reference files (not an exchange file of the chain). */
  warnings: string[];
  /** Reference files that are there but could not be read: one Bloquant anomaly each. */
  unreadable: { file: string; anomaly: Anomaly }[];
}

export interface ReferenceLoadOptions {
  /** 'report' (synchro check): an I/O error is one more unreadable file; 'throw' (steps): thrown, to be retried. */
  ioErrors?: 'report' | 'throw';
}

/** The names the applications give their reference exports: such a file that cannot be read is never just ignored. */
const REFERENCE_NAME = /^(ExportXML_[A-Za-z]+\.(zip|xml)|sts_emp_\w+\.xml|emp_sts_\w+\.xml|lsu-state\.json)$/i;

/** A system call's failure (EACCES, EIO, ENOENT…), as opposed to what the bytes say. */
export function isIoError(error: unknown): boolean {
  const e = error as NodeJS.ErrnoException | undefined;
  return e instanceof Error && typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === 'string';
}

function unreadableReference(name: string, error: unknown): Anomaly {
  const problem = error instanceof Error ? error.message : String(error);
  return {
    code: 'REFERENCE_ILLISIBLE', level: 'blocking',
    message: `Fichier de référence illisible : ${name} (${problem})`,
    cause: isIoError(error) ? 'Le fichier est présent mais ne peut pas être lu (droits, disque).' : 'Le fichier est présent mais son contenu ne peut pas être lu (export interrompu, fichier tronqué ou abîmé pendant la copie).',
    correction: "Exporter de nouveau le fichier depuis l'application qui le produit et le déposer à la place de celui-ci.",
    subject: { file: name },
  };
}

async function listFiles(dir: string, depth = 2): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory() && depth > 0) files.push(...(await listFiles(path, depth - 1)));
    else if (e.isFile()) files.push(path);
  }
  return files;
}

export async function loadReference(dir: string): Promise<Reference> {
  return loadReferenceFiles((await listFiles(dir)).map((path) => ({ path, name: path.slice(dir.length + 1) })));
}

/** The same from a chosen list (the connectors pass each application's newest exports first). */
export async function loadReferenceFiles(files: readonly { path: string; name: string }[], read: typeof readExchangeFile = parseExchangeFile, options: ReferenceLoadOptions = {}): Promise<Reference> {
  const ref: Reference = { headers: [], warnings: [], unreadable: [] };
  for (const { path, name } of files) {
    try {
      if (/(^|[\\/])lsu-state\.json$/.test(name)) {
        ref.state = parseLsuState(JSON.parse((await readBoundedFile(path, name, 16 * 1024 * 1024)).toString('utf8')));
        continue;
      }
      if (!/\.(xml|zip)$/i.test(name)) continue;
      // Bounded from stat (formats/limits.ts), parsed in the heap-limited parse pool.
      const file = await read(name, await readBoundedFile(path, name));
      if (file.kind === 'lsu-bilans' || file.kind === 'elegroupe' || file.kind === 'siecle-prive') continue; // files to check, not reference data
      ref.headers.push({ file: name, header: file.data.header });
      // The first of each kind wins (sorted names): ElevesAvecAdresses before ElevesSansAdresses.
      if (file.kind === 'siecle-eleves') ref.eleves ??= file.data;
      else if (file.kind === 'siecle-structures') ref.structures ??= file.data;
      else if (file.kind === 'siecle-communs') ref.communs ??= file.data;
      else if (file.kind === 'siecle-nomenclature') ref.nomenclature ??= file.data;
      else if (file.kind === 'sts-edt') ref.sts ??= file.data;
      else if (file.kind === 'edt-sts') ref.edt ??= file.data;
    } catch (error) {
      if (isIoError(error) && options.ioErrors === 'throw') throw error;
      const notAnExchangeFile = isExchangeFileError(error) && (error.code === 'wrong-root' || error.code === 'not-xml');
      if (notAnExchangeFile && !REFERENCE_NAME.test(basename(name))) ref.warnings.push(`référence ignorée : ${error.message}`);
      else ref.unreadable.push({ file: name, anomaly: unreadableReference(name, error) });
    }
  }
  return ref;
}

/** The school's UAI as the reference data gives it. */
export function referenceUai(ref: Reference | undefined): string | undefined {
  return ref?.eleves?.header.uai ?? ref?.communs?.header.uai ?? ref?.structures?.header.uai ?? ref?.sts?.header.uai ?? ref?.state?.uai;
}
