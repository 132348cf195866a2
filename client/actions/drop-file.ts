// "Here is the file": a person or a script puts an exported file in a school's inbox, for the
// application that exported it (sts_emp → sts/, emp_sts → edt/, SIECLE zips → siecle/,
// élève-groupe → pronote/, LSU → lsu/). The file is recognised by its content, must carry the
// official name the folder connector looks for, and must be the school's own (its UAI): a file
// of another school never reaches the inbox. The file is read once, into a staged copy that is
// checked and then moved (client/actions/accept-file.ts): what is checked is what is stored.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SchoolFolders } from '../../connectors/school-folders';
import type { FileArrived } from '../../workflows/messages';
import { acceptFile, stageFromPath, type AcceptedFile } from './accept-file';
import { ActionRefused } from './errors';

export type DroppedFile = AcceptedFile;

/** `notify`: told once the file is in the inbox (the CLI signals the school's running year: file-arrived.ts). */
export async function dropFile(dataDir: string, uai: string, path: string, notify?: (file: FileArrived) => Promise<unknown>): Promise<DroppedFile> {
  const folders = new SchoolFolders(dataDir, uai);
  // Registration creates the school's folder: no database needed here (a running `synchro start` holds PGlite).
  if (!(await stat(folders.root).catch(() => undefined))?.isDirectory()) {
    throw new ActionRefused('not-found', `Établissement ${uai} inconnu ici (pas de dossier ${folders.root}) : l'ajouter avec « synchro schools add ».`);
  }
  const accepted = await acceptFile(dataDir, uai, await stageFromPath(folders, basename(path), path));
  await notify?.({ application: accepted.application, name: basename(accepted.path), sha256: accepted.sha256 });
  return accepted;
}
