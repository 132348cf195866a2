// The real exchange files live in ../shared/formats beside the clone (CI checks it out there).
// Tests reference them through this helper so that a missing folder fails with a clear message.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const sharedFormatsDir = resolve(repoRoot, '..', 'shared', 'formats');

/** Absolute path of a file under ../shared/formats; throws when the folder is missing. */
export function sharedFormat(...parts: string[]): string {
  if (!existsSync(sharedFormatsDir)) {
    throw new Error(`Dossier des formats réels introuvable : ${sharedFormatsDir}. Clonez le dépôt « shared » à côté de ce dépôt (../shared).`);
  }
  const path = join(sharedFormatsDir, ...parts);
  if (!existsSync(path)) throw new Error(`Fichier de format réel introuvable : ${path}`);
  return path;
}

export function readSharedFormat(...parts: string[]): Buffer {
  return readFileSync(sharedFormat(...parts));
}
