import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContentStore, sha256Of } from '../../../connectors/content-store';
import { openHarness, type Harness } from '../../support/step-harness';

describe('content store', () => {
  let h: Harness;
  beforeEach(async () => { h = await openHarness(); });
  afterEach(() => h.close());

  it('keeps a file under store/<sha[0:2]>/<sha>, once, however often it is put', async () => {
    const store = createContentStore(h.dataDir);
    const bytes = Buffer.from('<STS_EDT/>');
    const [a, b] = await Promise.all([store.put('sts_emp_0750680G_2025.xml', bytes), store.put('sts_emp_0750680G_2025.xml', bytes)]);
    const again = await store.put('copie.xml', bytes);
    expect(a).toEqual(b);
    expect(again.key).toBe(a.key);
    expect(again.name).toBe('copie.xml');
    expect(a).toMatchObject({ sha256: sha256Of(bytes), key: sha256Of(bytes), bytes: bytes.length });
    expect(store.pathOf(a)).toBe(join(h.dataDir, 'store', a.sha256.slice(0, 2), a.sha256));
    // No temporary file left behind, one file in its folder.
    expect(await readdir(join(h.dataDir, 'store', a.sha256.slice(0, 2)))).toEqual([a.sha256]);
    expect(await store.get(a)).toEqual(bytes);
  });

  it('puts a file from disk as a stream with the same key as from memory', async () => {
    const store = createContentStore(h.dataDir);
    const path = join(h.dataDir, 'import_lsu_20251231174512.xml');
    const bytes = Buffer.from('x'.repeat(200_000));
    await writeFile(path, bytes);
    const fromDisk = await store.putFile!('import_lsu_20251231174512.xml', path);
    expect(fromDisk).toEqual(await store.put('import_lsu_20251231174512.xml', bytes));
  });

  it('refuses a key that is not a sha256 (keys come back from workflow history)', () => {
    const store = createContentStore(h.dataDir);
    expect(() => store.pathOf({ key: '../../etc/passwd' })).toThrow(/Clé de stockage invalide/);
  });
});
