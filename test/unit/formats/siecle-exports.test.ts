import { openXml } from '../../../formats/archive.js';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ExchangeFileError } from '../../../formats/errors.js';
import {
  readSiecleCommuns, readSiecleEleves, readSiecleHeaderOnly, readSiecleNomenclature, readSiecleResponsables, readSiecleStructures,
} from '../../../formats/siecle-exports.js';
import { readSharedFormat, sharedFormat } from '../../support/shared-formats.js';

const BEE = 'siecle-bee-exports';
const FIX = [BEE, 'dossiersco-fixtures'];

function latin9(xml: string): Buffer {
  return iconv.encode(xml, 'ISO-8859-15');
}

describe('Nomenclature (real exports of 08/07/2019, 0750680G)', () => {
  it.each([
    ['Nomenclature-2018-19.xml', 2018],
    ['Nomenclature-2019-20.xml', 2019],
    ['ExportXML_Nomenclature arago 2018-19 au 8juil19.zip', 2018],
    ['ExportXML_Nomenclature arago 2019-20 au 8juil19.zip', 2019],
  ])('%s', async (name, millesime) => {
    const n = readSiecleNomenclature(name, (await openXml(name, readSharedFormat(BEE, name))).data);
    expect(n.header).toMatchObject({ kind: 'siecle-nomenclature', uai: '0750680G', millesime, version: '3.1' });
    expect(n.header.exportedAt).toMatch(/^2019-07-08T\d{2}:\d{2}:\d{2}$/);
    expect(n.mefs.length).toBeGreaterThan(10);
    expect(n.mefs.every((m) => /^\d{10}[\dA-Z]$/.test(m.code))).toBe(true);
    // Codes keep their leading zeros; labels keep their accents and their "&".
    expect(n.subjects.find((s) => s.code === '001300')?.longLabel).toBe('PRATIQUES PROFESSIONNELLES');
    expect(n.subjects.find((s) => s.code === '003000')?.shortLabel).toBe('PRATIQ.SOC.& CULTUR.');
    expect(n.programmes.length).toBeGreaterThan(0);
    expect(n.programmes[0]?.hours).toMatch(/^\d+\.\d\d$/);
    expect(n.courseModes.map((c) => c.code)).toContain('CG');
  });

  it('the zip and the XML it holds give the same data', async () => {
    const fromXml = readSiecleNomenclature('x.xml', readSharedFormat(BEE, 'Nomenclature-2019-20.xml'));
    const fromZip = readSiecleNomenclature('x.zip', (await openXml('x.zip', readSharedFormat(BEE, 'ExportXML_Nomenclature arago 2019-20 au 8juil19.zip'))).data);
    expect(fromZip).toEqual(fromXml);
  });

  it('keeps accented edition labels intact (ISO-8859-15 decoded)', () => {
    const n = readSiecleNomenclature('n.xml', readSharedFormat(BEE, 'Nomenclature-2019-20.xml'));
    const accented = n.mefs.map((m) => m.editionLabel ?? '').concat(n.subjects.map((s) => s.longLabel ?? '')).filter((l) => /[éèêàçÉ]/.test(l));
    const raw = iconv.decode(readFileSync(sharedFormat(BEE, 'Nomenclature-2019-20.xml')), 'ISO-8859-15');
    expect(accented.length).toBeGreaterThan(0);
    for (const label of accented) expect(raw).toContain(label.replace(/&/g, '&amp;'));
  });

  it.each(['nomenclature_simple.xml', 'nomenclature_simple.zip', 'nomenclature_tout_niveau.xml', 'nomenclature_code_modalite_elec_double.xml'])('dossiersco %s', async (name) => {
    const n = readSiecleNomenclature(name, (await openXml(name, readSharedFormat(...FIX, name))).data);
    expect(n.header).toMatchObject({ uai: '0140070A', millesime: 2018, exportedAt: '2019-06-05T09:11:05' });
    expect(n.mefs.length).toBeGreaterThan(0);
  });
});

describe('Élèves (dossiersco fixtures, real pseudonymised exports)', () => {
  it('eleves_avec_adresse_avec_double_structure.xml: pupils with their ids, ISO birth dates, division and groups', () => {
    const e = readSiecleEleves('ElevesAvecAdresses.xml', readSharedFormat(...FIX, 'eleves_avec_adresse_avec_double_structure.xml'));
    expect(e.header).toMatchObject({ kind: 'siecle-eleves', uai: '0660864F', millesime: 2019, version: '3.0', exportedAt: '2019-08-29T09:45:58' });
    const p = e.pupils.find((x) => x.eleveId === '1541944');
    expect(p?.ine).toBe('070876696HA');
    expect(p?.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(p && p.divisions.length + p.groups.length).toBeGreaterThan(0);
    expect(e.pupils.every((x) => x.eleveId !== '' && x.lastName !== '')).toBe(true);
  });

  it('eleves_avec_adresse_simple.xml (malformed): refused with a French message naming the file and the line', () => {
    const read = () => readSiecleEleves('eleves_avec_adresse_simple.xml', readSharedFormat(...FIX, 'eleves_avec_adresse_simple.xml'));
    expect(read).toThrow(ExchangeFileError);
    try {
      read();
    } catch (e) {
      const error = e as ExchangeFileError;
      expect(error.code).toBe('malformed');
      expect(error.file).toBe('eleves_avec_adresse_simple.xml');
      // The STRICTURES_ELEVE typo opens on line 134; the mismatch is seen when it is closed.
      expect(error.line).toBeGreaterThanOrEqual(134);
      expect(error.line).toBeLessThan(145);
      expect(error.message).toMatch(/eleves_avec_adresse_simple\.xml.*ligne \d+.*<STRICTURES_ELEVE> ouvert ligne 134/);
    }
  });

  it('refuses a nomenclature given as élèves (wrong root)', () => {
    expect(() => readSiecleEleves('n.xml', readSharedFormat(...FIX, 'nomenclature_simple.xml'))).toThrow(/racine <BEE_NOMENCLATURES> inattendue/);
  });
});

describe('Responsables: counts only', () => {
  it('responsables_avec_adresses_simple.xml: counts persons and links', () => {
    const r = readSiecleResponsables('r.xml', readSharedFormat(...FIX, 'responsables_avec_adresses_simple.xml'));
    expect(r.header).toMatchObject({ kind: 'siecle-responsables', uai: '0140070A', millesime: 2018, version: '2.1' });
    expect(r.persons).toBeGreaterThan(0);
    expect(r.links).toBeGreaterThan(0);
    expect(Object.keys(r).sort()).toEqual(['header', 'links', 'persons']);
  });
});

const params = '<PARAMETRES><UAJ>9830418M</UAJ><ANNEE_SCOLAIRE>2017</ANNEE_SCOLAIRE><DATE_EXPORT>20/07/2018</DATE_EXPORT><HORODATAGE>20/07/2018 10:02:11</HORODATAGE></PARAMETRES>';

describe('Structures (no real file: both shapes accepted)', () => {
  it('reads attribute and child forms alike', () => {
    const xml = `<?xml version="1.0" encoding="ISO-8859-15"?>
<BEE_STRUCTURES VERSION="3.0">${params}<DONNEES>
<DIVISIONS><DIVISION CODE_STRUCTURE="3 A"><LIBELLE_LONG>3ème A</LIBELLE_LONG><MEFS_APPARTENANCE><MEF_APPARTENANCE><CODE_MEF>10310019110</CODE_MEF></MEF_APPARTENANCE></MEFS_APPARTENANCE></DIVISION>
<DIVISION><CODE_STRUCTURE>3 B</CODE_STRUCTURE></DIVISION></DIVISIONS>
<GROUPES><GROUPE CODE_STRUCTURE="4EME LV2 AJE"><DIVISIONS_APPARTENANCE><DIVISION_APPARTENANCE><CODE_STRUCTURE>3 A</CODE_STRUCTURE></DIVISION_APPARTENANCE><DIVISION_APPARTENANCE CODE_STRUCTURE="3 B"/></DIVISIONS_APPARTENANCE></GROUPE></GROUPES>
</DONNEES></BEE_STRUCTURES>`;
    const s = readSiecleStructures('Structures.xml', latin9(xml));
    expect(s.header).toMatchObject({ kind: 'siecle-structures', uai: '9830418M', millesime: 2017 });
    expect(s.divisions).toEqual([{ code: '3 A', label: '3ème A', mefs: ['10310019110'] }, { code: '3 B', mefs: [] }]);
    expect(s.groups).toEqual([{ code: '4EME LV2 AJE', divisions: ['3 A', '3 B'], mefs: [] }]);
  });
});

describe('Communs (shape assumed in formats/siecle/communs.ts)', () => {
  const communs = (yearTags: string) => latin9(`<?xml version="1.0" encoding="ISO-8859-15"?>
<BEE_COMMUN VERSION="3.0">${params}<DONNEES><UAJ><DENOM_PRINC>COLLÈGE DE KOUTIO</DENOM_PRINC></UAJ>
<ANNEE_SCOLAIRE>${yearTags}</ANNEE_SCOLAIRE><ANNEE_SCOLAIRE_AD/>
<PERIODES><PERIODE><CODE_PERIODE>T1</CODE_PERIODE><DATE_DEBUT>19/02/2018</DATE_DEBUT><DATE_FIN>18/05/2018</DATE_FIN><LL_PERIODE>1er trimestre</LL_PERIODE><INDICE>1</INDICE><CODE_TYPE_PERIODE>T</CODE_TYPE_PERIODE></PERIODE></PERIODES>
</DONNEES></BEE_COMMUN>`);

  it.each(['DATE_DEBUT_ELEVE', 'DATE_DEB_ELEVE'])('reads the school year with %s', (tag) => {
    const c = readSiecleCommuns('Communs.xml', communs(`<${tag}>19/02/2018</${tag}><DATE_FIN_ELEVE>14/12/2018</DATE_FIN_ELEVE><DATE_DEBUT_PROF>16/02/2018</DATE_DEBUT_PROF>`));
    expect(c.header).toMatchObject({ kind: 'siecle-communs', uai: '9830418M', millesime: 2017 });
    expect(c.school.name).toBe('COLLÈGE DE KOUTIO');
    expect(c.schoolYear).toEqual({ start: '2018-02-19', end: '2018-12-14', teacherStart: '2018-02-16' });
    expect(c.previousYear).toBeUndefined();
    expect(c.periods).toEqual([{ code: 'T1', label: '1er trimestre', start: '2018-02-19', end: '2018-05-18', index: 1, type: 'T' }]);
  });

  it('refuses a Communs without the pupils\' year bounds', () => {
    expect(() => readSiecleCommuns('Communs.xml', communs(''))).toThrow(/Communs\.xml.*ANNEE_SCOLAIRE/);
  });
});

describe('Etablissements and Geographique: header only', () => {
  it('reads the header whatever the BEE_ root', () => {
    const xml = latin9(`<?xml version="1.0" encoding="ISO-8859-15"?><BEE_GEO VERSION="1.0">${params}<DONNEES/></BEE_GEO>`);
    expect(readSiecleHeaderOnly('Geographique.xml', xml, 'siecle-geographique').header).toEqual({
      kind: 'siecle-geographique', uai: '9830418M', millesime: 2017, exportedAt: '2018-07-20T10:02:11', version: '1.0',
    });
  });
});
