// Small instances of the hostile shapes of issue #14, each refused with a clear French message
// before its cost is paid, and the process (the parse pool's parent) still answering after.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../../checks/check-file';
import { readZip } from '../../../formats/archive';
import { readBoundedFile } from '../../../formats/bounded-read';
import { ExchangeFileError } from '../../../formats/errors';
import { closeParsePool, configureParsePool, parseExchangeFile } from '../../../formats/parse-pool';
import { parseXmlTree } from '../../../formats/xml';
import { eleGroupeZipOfSize, siecleExportOfTinyElements, zipOfEmptyEntries } from '../../../generators/hostile';
import { generateSchool } from '../../../generators/school';
import { writeStsEmp } from '../../../generators/write-sts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'synchro-hostile-'));
});
afterAll(async () => {
  await closeParsePool();
  await rm(dir, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<ExchangeFileError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ExchangeFileError);
  return error as ExchangeFileError;
}

const ON = '2025-09-15';
const { model } = generateSchool({ seed: 2, kind: 'college', millesime: 2025, pupils: 50 });

describe('hostile inputs are refused before their cost is paid', () => {
  it('a zip of 100,000 empty entries: refused from its end record, before any entry is built', async () => {
    const zip = zipOfEmptyEntries(100_000);
    const started = performance.now();
    const error = await refusal(readZip('ExportXML_ElevesSansAdresses.zip', zip));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.code).toBe('zip-unsafe');
    expect(error.message).toContain('100000 entrées, au plus 16 attendues');
  });

  it('the same zip through `check`: one Bloquant naming the file', async () => {
    const file = path.join(dir, 'ExportXML_ElevesSansAdresses.zip');
    await writeFile(file, zipOfEmptyEntries(70_000));
    const result = await checkFile(file, { on: ON });
    expect(result.verdict).toBe('rejected');
    expect(result.anomalies).toHaveLength(1);
    expect(result.anomalies[0]).toMatchObject({ level: 'blocking', code: 'FICHIER_ILLISIBLE' });
    expect(result.anomalies[0]!.message).toMatch(/ExportXML_ElevesSansAdresses\.zip.*70000 entrées/);
  });

  it('many tiny elements: refused at the element cap, not after building a tree of them', () => {
    const xml = siecleExportOfTinyElements(model.uai, 2025, 700_000); // 2.8 Mo, under the size cap
    expect(() => parseXmlTree('ElevesSansAdresses.xml', xml)).toThrow(/plus de 600\s000 éléments XML/);
  });

  it('many tiny elements in a parse thread: a non-retryable refusal, the pool still answering', async () => {
    const xml = siecleExportOfTinyElements(model.uai, 2025, 700_000);
    const error = await refusal(parseExchangeFile('ElevesSansAdresses.xml', xml));
    expect(error.code).toBe('too-large');
    const sts = writeStsEmp(model);
    expect((await parseExchangeFile(sts.name, sts.data)).kind).toBe('sts-edt');
  });

  it('an élève-groupe zip holding a 20 Mo XML: refused from the declared size (cap 16 Mo)', async () => {
    const { name, zip } = eleGroupeZipOfSize(model.uai, 2025, 20 * 1024 * 1024);
    const error = await refusal(parseExchangeFile(name, zip));
    expect(error.code).toBe('zip-unsafe');
    expect(error.message).toMatch(/taux de compression anormal|annoncé trop gros/);
  });

  it('a file over its cap is refused from stat, never read (a sparse 3 GiB file, past Node’s 2 GiB)', async () => {
    const file = path.join(dir, 'import_lsu_20250915120000.xml');
    await writeFile(file, '');
    await truncate(file, 3 * 1024 ** 3);
    const error = await refusal(readBoundedFile(file));
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/pèse 3072,0 Mo, au-delà de la limite de 100 Mo/);
    const checked = await checkFile(file, { on: ON });
    expect(checked.anomalies[0]!.message).toMatch(/au-delà de la limite de 100 Mo/);
    expect(checked.anomalies[0]!.message).not.toMatch(/GiB|greater than/);
  });

  it('a sts_emp over its 16 Mo cap is refused even though LSU files may be bigger', async () => {
    const file = path.join(dir, `sts_emp_${model.uai}_2025.xml`);
    await writeFile(file, Buffer.concat([writeStsEmp(model).data.subarray(0, 4096), Buffer.alloc(17 * 1024 * 1024, 0x20)]));
    const checked = await checkFile(file, { on: ON });
    expect(checked.verdict).toBe('rejected');
    expect(checked.anomalies[0]!.message).toMatch(/limite de 16 Mo/);
  });

  it('a parse thread that runs out of memory is reported as such, and the next parse works', async () => {
    await configureParsePool({ heapMb: 24 });
    try {
      const xml = siecleExportOfTinyElements(model.uai, 2025, 550_000); // under the element cap, over a 24 Mo heap
      const error = await refusal(parseExchangeFile('ElevesSansAdresses.xml', xml));
      expect(error.code).toBe('parse-crashed');
      expect(error.message).toMatch(/ElevesSansAdresses\.xml.*dépassé la mémoire permise \(24 Mo\)/);
    } finally {
      await configureParsePool({});
    }
    const sts = writeStsEmp(model);
    expect((await parseExchangeFile(sts.name, sts.data)).kind).toBe('sts-edt');
  }, 60_000);
});
