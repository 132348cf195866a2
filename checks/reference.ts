// The school's reference data: its SIECLE exports (zips or XML), its sts_emp, optionally its
// emp_sts and lsu-state.json — the --reference folder of `synchro check`, or the files a connector
// picked in the school's inboxes. Read once; what cannot be read is a warning, not fatal.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readBoundedFile } from '../formats/bounded-read.js';
import type { readExchangeFile } from '../formats/detect.js';
import { parseExchangeFile } from '../formats/parse-pool.js';
import type { FileHeader, SiecleCommuns, SiecleEleves, SiecleNomenclature, SiecleStructures, StsStructureFile } from '../formats/types.js';
import { parseLsuState, type LsuState } from '../rules/lsu-state.js';

export interface Reference {
  eleves?: SiecleEleves;
  structures?: SiecleStructures;
  communs?: SiecleCommuns;
  nomenclature?: SiecleNomenclature;
  sts?: StsStructureFile;
  edt?: StsStructureFile;
  state?: LsuState;
  headers: { file: string; header: FileHeader }[];
  warnings: string[];
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
export async function loadReferenceFiles(files: readonly { path: string; name: string }[], read: typeof readExchangeFile = parseExchangeFile): Promise<Reference> {
  const ref: Reference = { headers: [], warnings: [] };
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
      ref.warnings.push(`référence ignorée : ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return ref;
}

/** The school's UAI as the reference data gives it. */
export function referenceUai(ref: Reference | undefined): string | undefined {
  return ref?.eleves?.header.uai ?? ref?.communs?.header.uai ?? ref?.structures?.header.uai ?? ref?.sts?.header.uai ?? ref?.state?.uai;
}
