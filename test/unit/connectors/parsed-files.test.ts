import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { readExchangeFile } from '../../../formats/detect';
import { openXml } from '../../../formats/archive';
import { readEleGroupe } from '../../../formats/elegroupe';
import { readStsEdt } from '../../../formats/sts-edt';
import { ParsedFiles } from '../../../steps/parsed-files';
import { generateSchool, lsuBytes, lsuFileName, writePronoteEleGroupe, writeSiecleExports, writeStsEmp } from '../../../generators/index';

const { model } = generateSchool({ seed: 7, kind: 'college', millesime: 2025, pupils: 120 });
const exports = Object.fromEntries(writeSiecleExports(model).map((z) => [z.name, z.data]));
const eleves = exports['ExportXML_ElevesSansAdresses.zip']!;
const structures = exports['ExportXML_Structures.zip']!;
/** What an entry weighs in the cache: its serialized bytes. */
const weight = async (name: string, bytes: Uint8Array): Promise<number> => serialize(await readExchangeFile(name, bytes)).byteLength;

describe('ParsedFiles', () => {
  it('parses the same bytes once, and the same data comes back', async () => {
    const cache = new ParsedFiles();
    const first = await cache.read('ExportXML_ElevesSansAdresses.zip', eleves);
    const again = await cache.read('ExportXML_ElevesSansAdresses.zip', Buffer.from(eleves));
    expect(again).toEqual(first);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
    expect(first.kind === 'siecle-eleves' && first.data.pupils.length).toBe(120);
  });

  it('a new export (other bytes) is read anew: nothing stale is served', async () => {
    const cache = new ParsedFiles();
    await cache.read('ExportXML_Structures.zip', structures);
    const other = writeSiecleExports(generateSchool({ seed: 8, kind: 'college', millesime: 2025, pupils: 60 }).model).find((z) => z.name === 'ExportXML_Structures.zip')!;
    const read = await cache.read('ExportXML_Structures.zip', other.data);
    expect(cache.misses).toBe(2);
    expect(read.data.header.uai).toBe(generateSchool({ seed: 8, kind: 'college', millesime: 2025, pupils: 60 }).model.uai);
  });

  it('each read is its own copy: a caller that changes it changes nothing another step reads', async () => {
    const cache = new ParsedFiles();
    const read = await cache.read('ExportXML_ElevesSansAdresses.zip', eleves);
    if (read.kind !== 'siecle-eleves') throw new Error(read.kind);
    const firstName = read.data.pupils[0]!.lastName;
    read.data.pupils.push(read.data.pupils[0]!);
    Object.assign(read.data.pupils[0]!, { lastName: 'X' });
    const again = await cache.read('ExportXML_ElevesSansAdresses.zip', eleves);
    if (again.kind !== 'siecle-eleves') throw new Error(again.kind);
    expect(again.data.pupils).toHaveLength(120);
    expect(again.data.pupils[0]!.lastName).toBe(firstName);
    expect(firstName).not.toBe('X');
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it('keeps entries serialized: the budget counts their bytes', async () => {
    const cache = new ParsedFiles();
    await cache.read('ExportXML_ElevesSansAdresses.zip', eleves);
    expect(cache.size()).toBe(await weight('ExportXML_ElevesSansAdresses.zip', eleves));
  });

  it('keeps within its budget, dropping the least recently used first', async () => {
    const { name: stsName, data: sts } = writeStsEmp(model);
    const cache = new ParsedFiles((await weight(stsName, sts)) + (await weight('ExportXML_ElevesSansAdresses.zip', eleves))); // room for sts_emp and the pupils, not the structures too
    await cache.read(stsName, sts);
    await cache.read('ExportXML_ElevesSansAdresses.zip', eleves);
    await cache.read(stsName, sts); // used again: the pupils are now the oldest
    await cache.read('ExportXML_Structures.zip', structures);
    expect([cache.hits, cache.misses]).toEqual([1, 3]);
    await cache.read(stsName, sts);
    await cache.read('ExportXML_ElevesSansAdresses.zip', eleves);
    expect([cache.hits, cache.misses]).toEqual([2, 4]);
  });

  it('two reads of the same file at once are counted once against the budget', async () => {
    const { name: stsName, data: sts } = writeStsEmp(model);
    const cache = new ParsedFiles((await weight(stsName, sts)) + (await weight('ExportXML_ElevesSansAdresses.zip', eleves))); // room for sts_emp and the pupils
    await Promise.all([cache.read(stsName, sts), cache.read(stsName, sts)]);
    await cache.read('ExportXML_ElevesSansAdresses.zip', eleves);
    await cache.read(stsName, sts);
    expect([cache.hits, cache.misses]).toEqual([1, 3]);
  });

  it('keeps a file parsed elsewhere (remember): the next read is served from it', async () => {
    const { name: stsName, data: sts } = writeStsEmp(model);
    const cache = new ParsedFiles();
    const data = readStsEdt(stsName, sts);
    await cache.remember(stsName, sts, { kind: 'sts-edt', data });
    const read = await cache.read(stsName, Buffer.from(sts));
    expect(read.data).toEqual(data);
    expect(read.data).not.toBe(data);
    expect([cache.hits, cache.misses]).toEqual([1, 0]);
  });

  it("an élève-groupe file kept at its deposit is recalled at SIECLE's night, as a copy; recall never reads", async () => {
    const cache = new ParsedFiles();
    const file = writePronoteEleGroupe(model);
    expect(await cache.recall(file.zipName, file.zip)).toBeUndefined();
    const data = readEleGroupe(file.zipName, (await openXml(file.zipName, file.zip)).data);
    await cache.remember(file.zipName, file.zip, { kind: 'elegroupe', data });
    const recalled = await cache.recall(file.zipName, Buffer.from(file.zip));
    expect(recalled).toEqual({ kind: 'elegroupe', data });
    expect(recalled?.data).not.toBe(data);
    expect(await cache.recall('autre-nom.zip', file.zip)).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([1, 0]);
  });

  it('files read once (LSU bilans) are not kept', async () => {
    const cache = new ParsedFiles();
    const name = lsuFileName(model.generatedAt);
    const bytes = await lsuBytes(model);
    expect((await cache.read(name, bytes)).kind).toBe('lsu-bilans');
    await cache.read(name, bytes);
    expect([cache.hits, cache.misses]).toEqual([0, 2]);
  });
});
