import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { writeEleGroupe } from '../../../formats/elegroupe.js';
import { validateEleGroupe } from '../../../formats/schema.js';
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
