import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { openXml, readZip } from '../../../formats/archive.js';
import {
  eleGroupeFileName, parseEleGroupeFileName, readEleGroupe, writeEleGroupe,
} from '../../../formats/elegroupe.js';
import type { EleGroupeFile } from '../../../formats/types.js';

function sample(): EleGroupeFile {
  return {
    header: { kind: 'elegroupe', uai: '9830418M', millesime: 2017, exportedAt: '2018-03-05', version: '1.4' },
    version: '1.4',
    importDate: '2018-03-05',
    numEnvoi: 12,
    logiciel: 'PRONOTE',
    pupils: [
      {
        id: { kind: 'ELEVE_ID', value: '1541944' },
        lastName: 'LÉVÊQUE', usageName: 'ŒUVRARD', firstName: 'Zoé', firstName2: 'Nguyễn',
        birthDate: '2004-02-29',
        groups: [
          { code: '4EME LV2 AJE', start: '2018-02-19', end: '2018-12-14' },
          { code: '4A_ESP2' },
        ],
        line: 12,
      },
      {
        id: { kind: 'ID_NATIONAL', value: '070876696HA' },
        lastName: "D'ALMEIDA", firstName: 'Jean & Luc <x>', birthDate: '2003-11-01',
        groups: [{ code: 'MPERMANGR2', start: '2018-02-19' }],
        line: 25,
      },
    ],
  };
}

describe('élève-groupe file name', () => {
  it('builds the official name from an ISO date-time', () => {
    expect(eleGroupeFileName('6200003J', 2009, '2007-05-15T10:01:59')).toBe('6200003JELEGROUPE2009070515100159');
  });

  it('parses the official example and refuses other names', () => {
    expect(parseEleGroupeFileName('6200003JELEGROUPE2009070515100159.zip')).toEqual({
      uai: '6200003J', millesime: 2009, timestamp: '2007-05-15T10:01:59',
    });
    expect(parseEleGroupeFileName('dir/6200003JELEGROUPE2009070515100159.xml')?.millesime).toBe(2009);
    expect(parseEleGroupeFileName('0750680GPRIVE2017180115162223.zip')).toBeUndefined();
    expect(parseEleGroupeFileName('6200003JELEGROUPE2009071315100159.xml')).toBeUndefined();
    expect(parseEleGroupeFileName('6200003JELEGROUPE20090705151001.xml')).toBeUndefined();
  });
});

describe('writeEleGroupe', () => {
  it('names the xml and the zip alike and puts the xml in the zip', async () => {
    const out = writeEleGroupe(sample(), { generatedAt: '2018-03-05T08:30:00' });
    expect(out.xmlName).toBe('9830418MELEGROUPE2017180305083000.xml');
    expect(out.zipName).toBe('9830418MELEGROUPE2017180305083000.zip');
    const entries = await readZip(out.zipName, out.zip);
    expect(entries.map((e) => e.name)).toEqual([out.xmlName]);
    expect(entries[0]?.data.equals(out.xml)).toBe(true);
  });

  it('writes ISO-8859-15 and says so, with references for characters outside Latin-9', () => {
    const { xml } = writeEleGroupe(sample());
    const text = iconv.decode(xml, 'ISO-8859-15');
    expect(text.startsWith('<?xml version="1.0" encoding="ISO-8859-15"?>')).toBe(true);
    expect(xml.includes(Buffer.from([0xbc]))).toBe(true); // Œ is 0xBC in Latin-9
    expect(text).toContain('Nguy&#7877;n');
    expect(text).toContain('<DATE_IMPORT>05/03/2018</DATE_IMPORT>');
  });

  it('round-trips: write then read gives the same file', async () => {
    const original = sample();
    const out = writeEleGroupe(original);
    const fromXml = readEleGroupe(out.xmlName, out.xml);
    const fromZip = readEleGroupe(out.zipName, (await openXml(out.zipName, out.zip)).data);
    const withoutLines = (f: EleGroupeFile) => ({ ...f, pupils: f.pupils.map(({ line: _line, ...p }) => p) });
    expect(withoutLines(fromXml)).toEqual(withoutLines(original));
    expect(fromZip).toEqual(fromXml);
    // Lines point at each <ELEVE> of the written file.
    const lines = iconv.decode(out.xml, 'ISO-8859-15').split('\n');
    for (const p of fromXml.pupils) expect(lines[(p.line ?? 0) - 1]?.trim()).toBe('<ELEVE>');
  });
});
