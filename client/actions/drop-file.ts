// "Here is the file": a person or a script puts an exported file in a school's inbox, for the
// application that exported it (sts_emp → sts/, emp_sts → edt/, SIECLE zips → siecle/,
// élève-groupe → pronote/, LSU → lsu/). The file is recognised by its content, must carry the
// official name the folder connector looks for, and must be the school's own (its UAI): a file
// of another school never reaches the inbox.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { detectKind, readExchangeFile, type DetectedKind } from '../../formats/detect';
import { readLsuBilans } from '../../formats/lsu-bilans';
import { OFFICIAL_NAMES, SchoolFolders } from '../../connectors/school-folders';
import type { Application } from '../../connectors/types';
import type { FileArrived } from '../../workflows/messages';
import { ActionRefused } from './errors';

export interface DroppedFile {
  uai: string;
  kind: DetectedKind;
  application: Application;
  path: string;
  /** sha256 of the bytes dropped. */
  sha256: string;
}

const ROUTES: Partial<Record<DetectedKind, { application: Application; name: RegExp; example: string }>> = {
  'sts-edt': { application: 'sts', name: OFFICIAL_NAMES.stsEmp, example: 'sts_emp_<UAI>_<AAAA>.xml' },
  'edt-sts': { application: 'edt', name: OFFICIAL_NAMES.empSts, example: 'emp_sts_<UAI>_<AAAA>.xml' },
  elegroupe: { application: 'pronote', name: OFFICIAL_NAMES.eleGroupe, example: '<UAI>ELEGROUPE<AAAA><AAMMJJhhmmss>.zip' },
  'lsu-bilans': { application: 'lsu', name: OFFICIAL_NAMES.lsu, example: 'import_lsu_<aaaammjjhhmmss>.xml' },
};
const SIECLE = { application: 'siecle' as const, name: OFFICIAL_NAMES.siecleExport, example: 'ExportXML_<Nom>.zip' };

async function fileUai(path: string, name: string, kind: DetectedKind, bytes: Buffer): Promise<string> {
  if (kind === 'lsu-bilans') return (await readLsuBilans(createReadStream(path), () => undefined, { fileName: name })).header.uai;
  const file = await readExchangeFile(name, bytes);
  return file.data.header.uai;
}

/** `notify`: told once the file is in the inbox (the CLI signals the school's running year: file-arrived.ts). */
export async function dropFile(dataDir: string, uai: string, path: string, notify?: (file: FileArrived) => Promise<unknown>): Promise<DroppedFile> {
  const folders = new SchoolFolders(dataDir, uai);
  // Registration creates the folders: no database needed here (a running `synchro start` holds PGlite).
  if (!(await stat(folders.root).catch(() => undefined))?.isDirectory()) {
    throw new ActionRefused('not-found', `Établissement ${uai} inconnu ici (pas de dossier ${folders.root}) : l'ajouter avec « synchro schools add ».`);
  }
  const name = basename(path);
  const bytes = await readFile(path);
  const kind = detectKind(name, bytes);
  const route = ROUTES[kind] ?? (kind.startsWith('siecle-') && kind !== 'siecle-prive' ? SIECLE : undefined);
  if (!route) throw new ActionRefused('conflict', `${name} : fichier ${kind} reconnu, mais aucune étape de la chaîne ne le prend.`);
  if (!route.name.test(name)) throw new ActionRefused('conflict', `${name} : nom attendu ${route.example} (le connecteur ne cherche que les noms officiels).`);
  const owner = await fileUai(path, name, kind, bytes);
  if (owner.toUpperCase() !== uai.toUpperCase()) throw new ActionRefused('conflict', `${name} : fichier de l'établissement ${owner}, pas de ${uai}.`);
  const dropped = await folders.copy(route.application, 'inbox', name, path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await notify?.({ application: route.application, name, sha256 });
  return { uai, kind, application: route.application, path: dropped, sha256 };
}
