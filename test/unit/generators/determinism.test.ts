import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSchool, Random, writeSchoolFolder, type GenerateSchoolOptions } from '../../../generators/index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function filesOf(options: GenerateSchoolOptions): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(join(tmpdir(), 'synchro-det-'));
  dirs.push(dir);
  const written = await writeSchoolFolder(generateSchool(options).model, dir);
  return new Map(await Promise.all(written.map(async (f) => [f.path, await readFile(join(dir, f.path))] as const)));
}

describe('determinism', () => {
  it('mulberry32: the same seed gives the same draws, another seed others', () => {
    const draws = (seed: number): number[] => Array.from({ length: 5 }, (_, i) => new Random(seed).fork(`x${i}`).int(0, 1e9));
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
  });

  it('the same options give byte-identical files, faults included', async () => {
    const options: GenerateSchoolOptions = { seed: 7, kind: 'college', millesime: 2017, pupils: 200, faults: [{ kind: 'unknown-group' }, { kind: 'unknown-teacher' }] };
    const a = await filesOf(options);
    const b = await filesOf(options);
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect(a.size).toBe(11); // sts, edt, 7 SIECLE zips, élève-groupe zip, LSU
    for (const [path, bytes] of a) expect(bytes.equals(b.get(path)!), path).toBe(true);
  });

  it('another seed gives another school', async () => {
    const a = await filesOf({ seed: 1, kind: 'college', millesime: 2017, pupils: 100, uai: '0750680G' });
    const b = await filesOf({ seed: 2, kind: 'college', millesime: 2017, pupils: 100, uai: '0750680G' });
    const path = 'siecle/ExportXML_ElevesSansAdresses.zip';
    expect(a.get(path)!.equals(b.get(path)!)).toBe(false);
  });

  it('does not read the clock: generatedAt stamps every export', () => {
    const { model } = generateSchool({ seed: 3, kind: 'college', millesime: 2019, pupils: 50, generatedAt: '2019-11-29T08:30:00' });
    expect(model.generatedAt).toBe('2019-11-29T08:30:00');
    expect(model.eleGroupe.importDate).toBe('2019-11-29');
  });
});
