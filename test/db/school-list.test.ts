// `schools import`: all or nothing in one transaction, encodings decided per file, every wrong
// line listed, and nothing — no row, no folder — left by a refused list.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importSchoolList } from '../../client/actions/import-schools';
import { listSchools } from '../../db/queries/schools';
import { describeOnDrivers } from './drivers';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'synchro-school-list-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const schoolsDir = (dataDir: string): Promise<string[]> => readdir(path.join(dataDir, 'schools')).catch(() => []);

describeOnDrivers('schools import', (ctx) => {
  it('a file mixing UTF-8 and ISO-8859-15 lines is refused, naming the lines of each; nothing written', async () => {
    const dataDir = await mkdtemp(path.join(dir, 'data-'));
    const file = path.join(dir, 'mixed.csv');
    await writeFile(file, Buffer.concat([
      Buffer.from('uai;nom;academie\n0382032C;Collège Les Buclos;Grenoble\n', 'utf8'),
      iconv.encode('0750680G;Lycée Charlemagne;Paris\n', 'iso-8859-15'),
    ]));
    const result = await importSchoolList(ctx.db(), dataDir, file);
    expect(result.imported).toBe(0);
    expect(result.problems).toEqual([expect.stringMatching(/mêle deux encodages : UTF-8 \(ligne 2\) et ISO-8859-15 \(ligne 3\)/) as unknown as string]);
    expect(await listSchools(ctx.db())).toEqual([]);
    expect(await schoolsDir(dataDir)).toEqual([]);
  });

  it('an ISO-8859-15 file is read as such (no "LycÃ©e")', async () => {
    const dataDir = await mkdtemp(path.join(dir, 'data-'));
    const file = path.join(dir, 'latin9.csv');
    await writeFile(file, iconv.encode('uai;nom;academie\r\n0750680G;Lycée Charlemagne;Paris\r\n', 'iso-8859-15'));
    expect(await importSchoolList(ctx.db(), dataDir, file)).toEqual({ imported: 1, problems: [] });
    expect((await listSchools(ctx.db())).map((s) => s.name)).toContain('Lycée Charlemagne');
    // The root folder only: boxes are made when first written.
    expect(await readdir(path.join(dataDir, 'schools', '0750680G'))).toEqual([]);
  });

  it('a NUL byte: a clear error on its line, no SQL, no row, no folder', async () => {
    const dataDir = await mkdtemp(path.join(dir, 'data-'));
    const file = path.join(dir, 'nul.csv');
    await writeFile(file, Buffer.from('uai;nom;academie\n0660864F;Lycée Arago;Montpellier\n0382032C;Coll\u0000ège;Grenoble\n', 'utf8'));
    const before = (await listSchools(ctx.db())).length;
    const result = await importSchoolList(ctx.db(), dataDir, file);
    expect(result.imported).toBe(0);
    expect(result.problems).toEqual(['ligne 3 : caractère NUL (octet 0) dans la ligne : fichier corrompu ou binaire.']);
    expect((await listSchools(ctx.db())).length).toBe(before);
    expect(await schoolsDir(dataDir)).toEqual([]);
  });

  it('every wrong line is listed; a corrected list of 3,000 schools goes in one transaction', async () => {
    const dataDir = await mkdtemp(path.join(dir, 'data-'));
    const file = path.join(dir, 'many.csv');
    const uai = (n: number): string => {
      const digits = String(100000 + n).padStart(7, '0');
      const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
      return `${digits}${letters[Number(digits) % 23]}`;
    };
    const lines = ['uai;nom;academie', ...Array.from({ length: 3000 }, (_, i) => `${uai(i)};Collège ${i};Académie ${i % 30}`)];
    lines[10] = '0000000;Sans clé;Paris';
    lines[2000] = `${uai(1)};Doublon;Paris`;
    await writeFile(file, `${lines.join('\n')}\n`);
    const refused = await importSchoolList(ctx.db(), dataDir, file);
    expect(refused.imported).toBe(0);
    expect(refused.problems).toHaveLength(2);
    expect(refused.problems[0]).toMatch(/^ligne 11 : /);
    expect(refused.problems[1]).toMatch(/^ligne 2001 : .* déjà présent ligne 3\./);
    lines[10] = `${uai(9)};Collège 9;Paris`.replace(uai(9), uai(5000));
    lines[2000] = `${uai(1999)};Collège 1999;Paris`.replace(uai(1999), uai(6000));
    await writeFile(file, `${lines.join('\n')}\n`);
    const before = (await listSchools(ctx.db())).length;
    expect(await importSchoolList(ctx.db(), dataDir, file)).toEqual({ imported: 3000, problems: [] });
    expect((await listSchools(ctx.db())).length).toBe(before + 3000);
    expect((await schoolsDir(dataDir)).length).toBe(3000);
  }, 120_000);
});
