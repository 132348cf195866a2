// What a parsed file depends on besides its bytes: the readers of this folder (their code, DTDs and
// XSDs), the versions of the libraries they use, and the V8 that serializes the result. A parsed
// file kept on disk (steps/parsed-files.ts) is filed under this version, so that a worker running
// other code never reads what an older reader made of a file.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const FORMATS_DIR = dirname(fileURLToPath(import.meta.url));
/** The lock file pins every library the readers use (saxes, the zip readers, xmllint-wasm…). */
const LOCK_FILE = join(FORMATS_DIR, '..', 'package-lock.json');

let version: Promise<string> | undefined;

/** sha256 of the readers' files, the lock file and the runtime, computed once per process (about 0.5 Mo read). */
export function parserVersion(): Promise<string> {
  version ??= compute();
  return version;
}

async function compute(): Promise<string> {
  const hash = createHash('sha256').update(`node ${process.version} v8 ${process.versions.v8}\n`);
  const files = (await readdir(FORMATS_DIR, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
  for (const file of files) hash.update(`${relative(FORMATS_DIR, file)}\n`).update(await readFile(file));
  // Absent in an installed copy without a lock file: the package's own version then stands for it.
  const lock = await readFile(LOCK_FILE).catch(() => readFile(join(FORMATS_DIR, '..', 'package.json')).catch(() => Buffer.alloc(0)));
  return hash.update(lock).digest('hex');
}
