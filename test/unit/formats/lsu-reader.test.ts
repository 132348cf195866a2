import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExchangeFileError } from '../../../formats/errors.js';
import { parseLsuBilansWhole, readLsuBilans, writeLsuBilans } from '../../../formats/lsu-bilans.js';
import { validateLsuBilans } from '../../../formats/schema.js';
import type { LsuBilan } from '../../../formats/types.js';
import { lsuSampleDocument } from '../../support/lsu-sample.js';
import { sharedFormat } from '../../support/shared-formats.js';

async function collect(source: string | NodeJS.ReadableStream) {
  const bilans: LsuBilan[] = [];
  const result = await readLsuBilans(source, (b, refs) => {
    // Referentials are complete before the first bilan.
    expect(refs.pupils.has(b.pupilRef)).toBe(true);
    bilans.push(b);
  });
  return { ...result, bilans };
}

async function writtenBytes(doc = lsuSampleDocument()): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeLsuBilans(doc, out);
  return Buffer.concat(chunks);
}

describe('readLsuBilans on the real Gepi samples', () => {
  it('lsu/gepi/2020-02-20_sample-bilan-complet.xml: header, referentials and every bilan with its line', async () => {
    const path = sharedFormat('lsu', 'gepi', '2020-02-20_sample-bilan-complet.xml');
    const { header, referentials, counts, bilans } = await collect(path);
    expect(header).toMatchObject({ kind: 'lsu-bilans', uai: '0382032C', millesime: 2015, schemaVersion: '2.0' });
    expect(header.editor).toBe('ÉDITEUR');
    expect(referentials.pupils.size).toBeGreaterThan(0);
    expect(counts.periodic + counts.cycle).toBe(bilans.length);
    expect(counts.periodic).toBeGreaterThan(0);
    expect(bilans.every((b) => b.line > 1)).toBe(true);
    const firstPeriodic = bilans.find((b) => b.kind === 'periodic');
    expect(firstPeriodic?.kind === 'periodic' && firstPeriodic.subjects.length).toBeGreaterThan(0);
    // The sample validates against the 2020 schema (its version 2.0 maps there).
    expect((await validateLsuBilans('sample.xml', (await import('node:fs')).readFileSync(path))).valid).toBe(true);
  });

  it('lsu/gepi/2016-11-20_sample-bilan-complet.xml: agrees with the whole-document parse', async () => {
    const path = sharedFormat('lsu', 'gepi', '2016-11-20_sample-bilan-complet.xml');
    const streamed = await collect(path);
    const whole = parseLsuBilansWhole((await import('node:fs')).readFileSync(path));
    expect(whole.header).toEqual(streamed.header);
    expect(whole.counts).toEqual(streamed.counts);
    expect(whole.referentials).toEqual(streamed.referentials);
    expect(whole.bilans.map((b) => ({ ...b, line: 0 }))).toEqual(streamed.bilans.map((b) => ({ ...b, line: 0 })));
  });
});

describe('LSU write → read round trip', () => {
  it.each(['10.0', '3.0'])('gives back the document (schemaVersion %s)', async (version) => {
    const doc = lsuSampleDocument(version);
    const { header, referentials, bilans, counts } = await collect(Readable.from([await writtenBytes(doc)]));
    expect(header).toMatchObject({ uai: doc.uai, schemaVersion: version, editor: doc.editor, application: doc.application, applicationVersion: doc.applicationVersion, millesime: 2024 });
    expect([...referentials.pupils.values()]).toEqual(doc.pupils);
    expect([...referentials.periods.values()]).toEqual(doc.periods);
    expect([...referentials.disciplines.values()]).toEqual(doc.disciplines);
    expect([...referentials.teachers.values()]).toEqual(doc.teachers);
    expect(counts).toEqual({ periodic: doc.periodic.length, cycle: doc.cycle.length });
    const periodic = bilans.filter((b) => b.kind === 'periodic');
    expect(periodic.map((b) => [b.pupilRef, b.periodRef, b.mainTeacherRefs, b.subjects, b.hasGeneralAppraisal, b.hasVieScolaire, b.councilDate]))
      .toEqual(doc.periodic.map((b) => [b.pupilRef, b.periodRef, b.mainTeacherRefs, b.subjects, b.hasGeneralAppraisal, b.hasVieScolaire, b.councilDate]));
    const cycle = bilans.filter((b) => b.kind === 'cycle');
    expect(cycle.map((b) => [b.pupilRef, b.cycle, b.millesime, b.mainTeacherRefs])).toEqual(doc.cycle.map((b) => [b.pupilRef, b.cycle, b.millesime, b.mainTeacherRefs]));
  });

  it('streams a large generated file with bounded memory and awaits the consumer', async () => {
    const doc = lsuSampleDocument();
    const pupils = Array.from({ length: 20_000 }, (_, i) => ({ ref: `EL_${i}`, idBe: String(100000 + i), lastName: 'NOM', firstName: 'Prénom', division: '3 A' }));
    function* periodic() {
      for (const p of pupils) yield { ...doc.periodic[0]!, pupilRef: p.ref };
    }
    const dir = mkdtempSync(join(tmpdir(), 'lsu-'));
    const path = join(dir, 'import_lsu_20250101120000.xml');
    const { bytes } = await writeLsuBilans({ ...doc, pupils, periodic: periodic(), cycle: [] }, path);
    expect(bytes).toBeGreaterThan(5_000_000);
    let seen = 0;
    const { counts } = await readLsuBilans(path, async () => { seen += 1; await Promise.resolve(); });
    expect(counts.periodic).toBe(20_000);
    expect(seen).toBe(20_000);
  });
});

describe('readLsuBilans refuses bad input with one French message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lsu-bad-'));
  // A stream cannot know a file is truncated before its end: bilans read before the cut reach the
  // consumer (who must stage them); every other refusal happens before the first bilan.
  async function failure(content: string | Buffer, name = 'import_lsu.xml', maxCalls = 0): Promise<ExchangeFileError> {
    const path = join(dir, name);
    writeFileSync(path, content);
    let calls = 0;
    const error = await readLsuBilans(path, () => { calls += 1; }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeFileError);
    expect(calls).toBeLessThanOrEqual(maxCalls);
    return error as ExchangeFileError;
  }

  it('empty, blank, not XML', async () => {
    expect((await failure('')).code).toBe('empty');
    expect((await failure('  \n ')).code).toBe('empty');
    const notXml = await failure('élève;classe\n1;3A\n', 'import.csv');
    expect(notXml.code).toBe('not-xml');
    expect(notXml.message).toContain('import.csv');
  });

  it('truncated, wrong root, wrong namespace, DOCTYPE, unknown encoding', async () => {
    const full = (await writtenBytes()).toString('utf8');
    const truncated = await failure(full.slice(0, Math.floor(full.length * 0.7)), 'import_lsu.xml', Infinity);
    expect(truncated.code).toBe('truncated');
    expect(truncated.line).toBeGreaterThan(1);
    expect((await failure('<?xml version="1.0"?><BEE_ELEVES/>')).code).toBe('wrong-root');
    expect((await failure('<lsun-bilans xmlns="urn:autre" schemaVersion="10.0"/>')).code).toBe('wrong-root');
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lsun-bilans>&lol2;</lsun-bilans>';
    expect((await failure(laughs)).code).toBe('doctype');
    expect((await failure('<?xml version="1.0" encoding="KLINGON-1"?><lsun-bilans/>')).code).toBe('encoding');
  });

  it('refuses a file over 100 Mo by its size, before parsing', async () => {
    const path = join(dir, 'huge.xml');
    writeFileSync(path, '');
    const { truncateSync } = await import('node:fs');
    truncateSync(path, 100 * 1024 * 1024 + 1); // sparse: costs no disk, and would not parse
    const error = await readLsuBilans(path, () => undefined).then(() => undefined, (e: unknown) => e as ExchangeFileError);
    expect(error?.code).toBe('too-large');
    expect(error?.message).toMatch(/100 Mo/);
    expect(existsSync(path)).toBe(true);
  });
});
