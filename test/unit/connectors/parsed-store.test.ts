import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskParsedStore } from '../../../connectors/parsed-store';
import { PARSED_FILES_BUDGET, ParsedFiles } from '../../../steps/parsed-files';
import { generateSchool, writeSiecleExports, writeStsEmp } from '../../../generators/index';

const { model } = generateSchool({ seed: 11, kind: 'college', millesime: 2025, pupils: 150 });
const exports = Object.fromEntries(writeSiecleExports(model).map((z) => [z.name, z.data]));
const ELEVES = 'ExportXML_ElevesSansAdresses.zip';
const eleves = exports[ELEVES]!;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'parsed-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The entries under the store's root, oldest first by name of their folders (path relative to root). */
const entriesUnder = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

/** A worker process's cache: its own memory, the shared folder below it. */
const workerCache = (dir = root, budgetBytes?: number): { cache: ParsedFiles; store: DiskParsedStore } => {
  const store = new DiskParsedStore(dir, budgetBytes === undefined ? {} : { budgetBytes });
  const cache = new ParsedFiles();
  cache.useStore(store);
  return { cache, store };
};

describe('DiskParsedStore', () => {
  it('a file parsed by one worker is read from disk by the next one, as the same data', async () => {
    const first = workerCache();
    const read = await first.cache.read(ELEVES, eleves);
    expect([first.cache.misses, first.store.counts.put]).toEqual([1, 1]);
    const [entry] = await entriesUnder(root);
    // Deflated: a fraction of the serialized bytes (150 pupils: about 30 Ko serialized).
    expect((await stat(entry!)).size).toBeLessThan(first.cache.size() / 3);

    const next = workerCache();
    const again = await next.cache.read(ELEVES, Buffer.from(eleves));
    expect(again).toEqual(read);
    expect([next.cache.misses, next.cache.storeHits, next.store.counts.hit]).toEqual([0, 1, 1]);
    // Now in that worker's memory: a third read does not go to the disk.
    await next.cache.read(ELEVES, eleves);
    expect([next.cache.hits, next.store.counts.hit]).toEqual([1, 1]);
  });

  it('recall finds on disk what a deposit remembered, and never parses', async () => {
    const { name, data } = writeStsEmp(model);
    const first = workerCache();
    const parsed = await first.cache.read(name, data);
    const next = workerCache();
    expect(await next.cache.recall(name, data)).toEqual(parsed);
    expect(await next.cache.recall('autre-nom.xml', data)).toBeUndefined();
    expect(next.cache.misses).toBe(0);
  });

  it('a truncated, damaged or misplaced entry is a miss: the file is parsed again and the entry written anew', async () => {
    const first = workerCache();
    const read = await first.cache.read(ELEVES, eleves);
    const [entry] = await entriesUnder(root);
    const good = await readFile(entry!);

    await writeFile(entry!, good.subarray(0, good.length - 100)); // truncated
    const afterTruncation = workerCache();
    expect(await afterTruncation.cache.read(ELEVES, eleves)).toEqual(read);
    expect([afterTruncation.cache.misses, afterTruncation.store.counts.failed, afterTruncation.store.counts.put]).toEqual([1, 1, 1]);
    expect(await readFile(entry!)).toEqual(good);

    const damaged = Buffer.from(good);
    damaged[damaged.length - 10]! ^= 0xff;
    await writeFile(entry!, damaged);
    const afterDamage = workerCache();
    expect(await afterDamage.cache.read(ELEVES, eleves)).toEqual(read);
    expect(afterDamage.cache.misses).toBe(1);

    // Another file's entry under this file's name: its key (first line) says so.
    const structures = workerCache();
    await structures.cache.read('ExportXML_Structures.zip', exports['ExportXML_Structures.zip']!);
    const other = (await entriesUnder(root)).find((p) => p !== entry)!;
    await writeFile(entry!, await readFile(other));
    const afterMisplacement = workerCache();
    expect(await afterMisplacement.cache.read(ELEVES, eleves)).toEqual(read);
    expect([afterMisplacement.cache.misses, afterMisplacement.cache.storeHits]).toEqual([1, 0]);

    // This file's key line over another file's body (which inflates and deserializes well): the sha256 on that line says so.
    const foreign = await readFile(other);
    await writeFile(entry!, Buffer.concat([good.subarray(0, good.indexOf(0x0a) + 1), foreign.subarray(foreign.indexOf(0x0a) + 1)]));
    const afterSwap = workerCache();
    expect(await afterSwap.cache.read(ELEVES, eleves)).toEqual(read);
    expect([afterSwap.cache.misses, afterSwap.cache.storeHits, afterSwap.store.counts.failed]).toEqual([1, 0, 1]);
  });

  it('an entry bigger than any this cache writes is not read at all', async () => {
    const first = workerCache();
    await first.cache.read(ELEVES, eleves);
    const [entry] = await entriesUnder(root);
    await truncate(entry!, PARSED_FILES_BUDGET + 1); // sparse: 128 Mo on paper, nothing on disk
    const next = workerCache();
    await next.cache.read(ELEVES, eleves);
    expect([next.cache.misses, next.store.counts.miss, next.store.counts.failed]).toEqual([1, 1, 0]);
  });

  it('keeps the folder within its budget, removing the oldest entries', async () => {
    const schools = [12, 13, 14, 15, 16, 17].map((seed) => writeSiecleExports(generateSchool({ seed, kind: 'college', millesime: 2025, pupils: 150 }).model).find((z) => z.name === ELEVES)!.data);
    const probe = workerCache(join(root, 'probe'));
    await probe.cache.read(ELEVES, schools[0]!);
    const one = (await stat((await entriesUnder(join(root, 'probe')))[0]!)).size;
    // Room for about three entries.
    const { cache, store } = workerCache(join(root, 'small'), Math.floor(one * 3.5));
    for (const bytes of schools) {
      await cache.read(ELEVES, bytes);
      await new Promise((resolve) => setTimeout(resolve, 15)); // distinct write times
    }
    const left = await entriesUnder(join(root, 'small'));
    const total = (await Promise.all(left.map((p) => stat(p)))).reduce((sum, s) => sum + s.size, 0);
    expect(total).toBeLessThanOrEqual(one * 3.5);
    expect(store.counts.removed).toBeGreaterThanOrEqual(3);
    // The newest is still there: another worker reads it from disk, the oldest it parses again.
    const next = workerCache(join(root, 'small'), Math.floor(one * 3.5));
    await next.cache.read(ELEVES, schools[5]!);
    await next.cache.read(ELEVES, schools[0]!);
    expect([next.cache.storeHits, next.cache.misses]).toEqual([1, 1]);
  });

  it('a folder that cannot be written is a cache that misses, never a failed read', async () => {
    const blocked = join(root, 'blocked');
    await writeFile(blocked, 'not a folder');
    const { cache, store } = workerCache(blocked);
    const read = await cache.read(ELEVES, eleves);
    expect(read.kind).toBe('siecle-eleves');
    expect([store.counts.put, store.counts.failed]).toEqual([0, 1]);
  });
});
