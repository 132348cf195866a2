// The content-addressed store: files travel between activities as { key, sha256, bytes, name },
// never as bytes (Temporal payloads are limited and histories are not encrypted). The sha256 is the
// key, so putting the same bytes twice (a retry, the same export dropped twice) writes nothing new.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContentStore, StoredFileRef } from './types';

const KEY = /^[0-9a-f]{64}$/;

/**
 * The store's disk is full (or the quota reached): said in French with what was being stored and
 * where, after the partial file is removed. An infrastructure error, not the file's fault: the
 * step's attempt fails with this message, and Temporal tries again later (space may be freed).
 */
export class StoreFullError extends Error {
  constructor(readonly fileName: string, readonly bytes: number, readonly root: string, readonly code: string) {
    super(
      `Disque plein : le fichier « ${fileName} » (${bytes} octets) n'a pas pu être enregistré dans le magasin de fichiers (${root}, ${code}). ` +
        "Rien n'a été gardé de cette copie ; libérez de la place, l'étape reprendra à sa prochaine tentative.",
    );
    this.name = 'StoreFullError';
  }
}

const isDiskFull = (error: unknown): error is NodeJS.ErrnoException =>
  ['ENOSPC', 'EDQUOT'].includes((error as NodeJS.ErrnoException | undefined)?.code ?? '');

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes through a temporary file and a rename: a reader never sees half a file, even after a crash. */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** sha256 of a file on disk, read as a stream (bounded memory). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** copyFile through a temporary file and a rename (same guarantee as writeFileAtomic). */
export async function copyFileAtomic(from: string, to: string): Promise<void> {
  const tmp = `${to}.${randomUUID()}.tmp`;
  try {
    await copyFile(from, tmp);
    await rename(tmp, to);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** `dataDir` is the data dir: files live under `<dataDir>/store/<sha[0:2]>/<sha>`. */
export function createContentStore(dataDir: string): ContentStore {
  const root = join(dataDir, 'store');
  const pathOf = (ref: Pick<StoredFileRef, 'key'>): string => {
    // The key comes back from workflow history: never let it name a path outside the store.
    if (!KEY.test(ref.key)) throw new Error(`Clé de stockage invalide : « ${ref.key} ».`);
    return join(root, ref.key.slice(0, 2), ref.key);
  };
  return {
    async put(name, bytes) {
      const sha256 = sha256Of(bytes);
      const ref: StoredFileRef = { key: sha256, sha256, bytes: bytes.length, name };
      const path = pathOf(ref);
      if (await exists(path)) return ref;
      try {
        await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
        // Two writers of the same bytes may race: both renames land the same content.
        await writeFileAtomic(path, bytes);
      } catch (error) {
        if (isDiskFull(error)) throw new StoreFullError(name, bytes.length, root, error.code!);
        throw error;
      }
      return ref;
    },
    async putFile(name, source) {
      const sha256 = await sha256OfFile(source);
      const size = (await stat(source)).size;
      const ref: StoredFileRef = { key: sha256, sha256, bytes: size, name };
      const path = pathOf(ref);
      if (await exists(path)) return ref;
      try {
        await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
        await copyFileAtomic(source, path);
      } catch (error) {
        if (isDiskFull(error)) throw new StoreFullError(name, size, root, error.code!);
        throw error;
      }
      return ref;
    },
    get: (ref) => readFile(pathOf(ref)),
    pathOf,
  };
}
