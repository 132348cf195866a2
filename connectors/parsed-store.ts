// The worker's parsed files on disk (steps/parsed-files.ts ParsedStore): under
// `<dataDir>/cache/parsed/<version>/<h[0:2]>/<h>`, h the sha256 of the entry's key (the file's
// sha256 and name), version the readers' (formats/parser-version.ts), so that other code never
// reads what an older reader made of a file. Every worker process of the data dir shares it.
//
// An entry is the v8 serialization deflated (a collège's pupils export: 131 Ko serialized, 22 Ko
// on disk), written through a temporary file and a rename, after a first line with its key and
// the sha256 of what it serializes: a file that is truncated, damaged or filed under another key
// is a miss, never a wrong answer. Entries come only from this code's parse threads, and the
// folder is the data dir's (whoever can write there can change the schools' files as well); it
// holds the same personal data as the exports it was read from.
//
// Bounded: an entry is read only when its size allows it (and inflated no bigger than the
// memory cache's budget); the folder is kept under `budgetBytes` by removing the oldest entries
// (by write time) once the bytes written since the last count would go past it. Errors never
// reach the caller: a cache that cannot be read or written is a cache that misses.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import { readBoundedFile } from '../formats/bounded-read';
import { parserVersion } from '../formats/parser-version';
import { PARSED_FILES_BUDGET, type ParsedStore } from '../steps/parsed-files';
import { sha256Of, writeFileAtomic } from './content-store';

const deflated = promisify(deflateRaw);
const inflated = promisify(inflateRaw);

/** Default budget of the folder: an académie's 500 schools take about 60 Mo, 10,000 collèges' nights about 400 Mo. */
export const PARSED_STORE_BUDGET = 2 * 1024 * 1024 * 1024;
/** Entries are kept to this share of the budget when it is exceeded, so that a count is not made at every write. */
const SWEEP_TO = 0.75;

export interface DiskParsedStoreOptions {
  budgetBytes?: number;
}

export function parsedStoreDir(dataDir: string): string {
  return join(dataDir, 'cache', 'parsed');
}

export class DiskParsedStore implements ParsedStore {
  private readonly budget: number;
  private folder: Promise<string> | undefined;
  /** Bytes in the folder as last counted plus those written since; undefined until the first count. */
  private weight: number | undefined;
  private sweeping: Promise<void> | undefined;
  /** Entries written, found, and failures (read or write), for the bench and the tests. */
  readonly counts = { put: 0, hit: 0, miss: 0, failed: 0, removed: 0 };

  constructor(private readonly root: string, options: DiskParsedStoreOptions = {}) {
    this.budget = options.budgetBytes ?? PARSED_STORE_BUDGET;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const path = await this.pathOf(key);
      const size = (await stat(path).catch(() => undefined))?.size;
      // No entry, or one bigger than any entry this cache writes: not read.
      if (size === undefined || size > PARSED_FILES_BUDGET) {
        this.counts.miss += 1;
        return undefined;
      }
      // Held to the same bound while reading (an entry that grew since the stat is refused too).
      const entry = await readBoundedFile(path, basename(path), PARSED_FILES_BUDGET);
      const header = Buffer.from(`${key} `);
      const lineEnd = entry.indexOf(0x0a);
      if (lineEnd < 0 || !entry.subarray(0, header.length).equals(header)) throw new Error('entry of another key');
      const serialized = await inflated(entry.subarray(lineEnd + 1), { maxOutputLength: PARSED_FILES_BUDGET });
      if (sha256Of(serialized) !== entry.subarray(header.length, lineEnd).toString('latin1')) throw new Error('damaged entry');
      this.counts.hit += 1;
      return serialized;
    } catch {
      this.counts.failed += 1;
      return undefined;
    }
  }

  async put(key: string, serialized: Uint8Array): Promise<void> {
    try {
      const path = await this.pathOf(key);
      const body = await deflated(serialized, { level: 1 });
      const entry = Buffer.concat([Buffer.from(`${key} ${sha256Of(serialized)}\n`), body]);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFileAtomic(path, entry);
      this.counts.put += 1;
      await this.account(entry.length);
    } catch {
      this.counts.failed += 1;
    }
  }

  /** Where the entry of `key` lives, in the folder of this code's version. */
  private pathOf(key: string): Promise<string> {
    this.folder ??= parserVersion().then((version) => join(this.root, version.slice(0, 16)));
    const name = createHash('sha256').update(key).digest('hex');
    return this.folder.then((folder) => join(folder, name.slice(0, 2), name));
  }

  /** Counts a written entry; the folder is counted once, at the first write, and swept when over budget. */
  private async account(bytes: number): Promise<void> {
    if (this.weight === undefined) this.weight = await this.countBytes();
    this.weight += bytes;
    if (this.weight > this.budget) {
      this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
      await this.sweeping;
    }
  }

  /** Every entry under the root (other versions' included), oldest first. */
  private async entries(): Promise<{ path: string; bytes: number; mtimeMs: number }[]> {
    const names = await readdir(this.root, { recursive: true }).catch(() => [] as string[]);
    const found: { path: string; bytes: number; mtimeMs: number }[] = [];
    for (const name of names) {
      const path = join(this.root, name);
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile()) found.push({ path, bytes: info.size, mtimeMs: info.mtimeMs });
    }
    return found.sort((a, b) => a.mtimeMs - b.mtimeMs);
  }

  private async countBytes(): Promise<number> {
    return (await this.entries()).reduce((sum, e) => sum + e.bytes, 0);
  }

  /** Removes the oldest entries until the folder holds SWEEP_TO of the budget (another process may sweep too: removing twice is harmless). */
  private async sweep(): Promise<void> {
    const entries = await this.entries();
    let weight = entries.reduce((sum, e) => sum + e.bytes, 0);
    for (const entry of entries) {
      if (weight <= this.budget * SWEEP_TO) break;
      await rm(entry.path, { force: true });
      weight -= entry.bytes;
      this.counts.removed += 1;
    }
    this.weight = weight;
  }
}
