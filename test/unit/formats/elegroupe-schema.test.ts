import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { writeEleGroupe } from '../../../formats/elegroupe.js';
import { validateXML } from 'xmllint-wasm';
import { asUtf8, ELEGROUPE_XSD, validateEleGroupe, xsd, type SchemaValidation } from '../../../formats/schema.js';
import type { EleGroupeFile } from '../../../formats/types.js';

function file(groupCode: string, birthDate = '2004-02-29'): EleGroupeFile {
  return {
    header: { kind: 'elegroupe', uai: '9830418M', millesime: 2017 }, version: '1.4', importDate: '2018-03-05', numEnvoi: 3, logiciel: 'PRONOTE',
    pupils: [
      { id: { kind: 'ELEVE_ID', value: '1541944' }, lastName: 'LÉVÊQUE', firstName: 'Zoé', firstName2: 'Nguyễn', birthDate, groups: [{ code: groupCode, start: '2018-02-19', end: '2018-12-14' }] },
      { id: { kind: 'ID_NATIONAL', value: '070876696HA' }, lastName: 'ŒUVRARD', firstName: 'Noël', birthDate: '2003-11-01', groups: [{ code: 'LV2ESP' }] },
    ],
  };
}

describe('élève-groupe XSD validation (official 1.4 schema, CODE_GROUPE relaxed)', () => {
  it('the written file validates', async () => {
    const { xmlName, xml } = writeEleGroupe(file('4A_ESP2'));
    expect(await validateEleGroupe(xmlName, xml)).toEqual({ valid: true, errors: [] });
  });

  it('a group code longer than 8 characters (seen in real SIECLE) stays valid', async () => {
    const { xmlName, xml } = writeEleGroupe(file('4EME LV2 AJE'));
    expect((await validateEleGroupe(xmlName, xml)).valid).toBe(true);
  });

  it('a BEE birth date copied verbatim is a violation with its line', async () => {
    const { xmlName, xml } = writeEleGroupe(file('4A_ESP2', '29/02/2004'));
    const result = await validateEleGroupe(xmlName, xml);
    expect(result.valid).toBe(false);
    const lines = iconv.decode(xml, 'ISO-8859-15').split('\n');
    const line = result.errors[0]?.line ?? 0;
    expect(lines[line - 1]).toContain('<DATE_NAISS>29/02/2004</DATE_NAISS>');
    expect(result.errors[0]?.message).toMatch(/DATE_NAISS/);
  });

  it('a file without pupils is invalid (ELEVES needs at least one ELEVE)', async () => {
    const { xmlName, xml } = writeEleGroupe({ ...file('X'), pupils: [] });
    expect((await validateEleGroupe(xmlName, xml)).valid).toBe(false);
  });
});

describe('élève-groupe XSD validation in a parse thread says what xmllint-wasm\'s validateXML says', () => {
  // validateXML: a worker thread and a compilation per file (the way it was done before).
  async function both(xml: Uint8Array, xmlName: string): Promise<[unknown, unknown]> {
    const outcome = (p: Promise<SchemaValidation>): Promise<unknown> => p.then((r) => r, (e: unknown) => ({ rejected: e instanceof Error ? e.message : String(e) }));
    const before = validateXML({ xml: [{ fileName: 'document.xml', contents: asUtf8(xmlName, xml) }], schema: [{ fileName: ELEGROUPE_XSD, contents: xsd(ELEGROUPE_XSD) }], maxMemoryPages: 16 * 1024 })
      .then((r) => ({ valid: r.valid && r.errors.length === 0, errors: r.errors.map((e) => ({ ...(e.loc && { line: e.loc.lineNumber }), message: e.message.trim() })) }));
    return [await outcome(validateEleGroupe(xmlName, xml)), await outcome(before)];
  }

  it.each([
    ['a valid file', file('4A_ESP2').pupils],
    ['a BEE birth date', file('4A_ESP2', '29/02/2004').pupils],
    ['a long group code', file('4EME LV2 AJE').pupils],
    ['no pupil', []],
  ])('%s', async (_label, pupils) => {
    const { xmlName, xml } = writeEleGroupe({ ...file('X'), pupils });
    const [now, before] = await both(xml, xmlName);
    expect(now).toEqual(before);
  });

  it('a file that is not well-formed: the same answer', async () => {
    const { xmlName, xml } = writeEleGroupe(file('4A_ESP2'));
    const [now, before] = await both(xml.subarray(0, Math.floor(xml.length / 2)), xmlName);
    expect(now).toEqual(before);
    expect(JSON.stringify(now)).toMatch(/Premature end of data/);
  });

  it('the process exit code is left alone (xmllint exits 3 on an invalid file)', async () => {
    const { xmlName, xml } = writeEleGroupe(file('4A_ESP2', '29/02/2004'));
    expect((await validateEleGroupe(xmlName, xml)).valid).toBe(false);
    expect(process.exitCode).toBeUndefined();
  });
});
