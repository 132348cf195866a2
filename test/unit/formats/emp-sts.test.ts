// The emp_sts reader (formats/emp-sts.ts) and the DTD verdict (checks/sts-dtd.ts) on the files
// written by hand from DTD_EDT_STS.dtd / DTD_STS_EDT.dtd (test/fixtures/sts-web), and on variants.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStsChecked } from '../../../checks/sts-dtd.js';
import { parseEmpStsFileName, readEmpSts } from '../../../formats/emp-sts.js';
import { readStsEdt } from '../../../formats/sts-edt.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/sts-web');
const bytes = (path: string): Buffer => readFileSync(join(FIXTURES, path));
const text = (path: string): string => bytes(path).toString('latin1');
const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('DTD_EDT_STS.dtd: emp_sts read as the DTD describes it', () => {
  it('metropolitan file: UAJ and ANNEE_SCOLAIRE as text, APPLICATION_SOURCE, HORAIRES, ALTERNANCES, SALLES_COURS', () => {
    const edt = readEmpSts('emp_sts_0750680G_2019.xml', bytes('metropole/emp_sts_0750680G_2019.xml'));
    expect(edt.header).toEqual({ kind: 'edt-sts', uai: '0750680G', millesime: 2019 });
    expect(edt.yearFrom).toBe('ANNEE_SCOLAIRE');
    expect(edt.applicationSource).toBe('EDT 2019');
    expect(edt.timeSlots).toEqual([{ day: '1', start: '0800', end: '0855' }, { day: '1', start: '0900', end: '0955' }, { day: '2', start: '1500', end: '1555' }]);
    expect(edt.alternations.map((a) => [a.code, a.weeks.length])).toEqual([['H', 3], ['Q1', 2]]);
    expect(edt.rooms).toEqual([{ code: 'B12', roomGroup: 'Sciences', location: 'Bâtiment B, 1er étage' }, { code: 'A03' }]);
    expect(edt.teacherIds).toEqual(['4189', '31762']);
  });

  it('services carry ENSEIGNANTS/ENSEIGNANT/COURS_RATTACHES/COURS, groups DIVISIONS_APPARTENANCE with EFFECTIF_PREVU', () => {
    const edt = readEmpSts('emp_sts_0750680G_2019.xml', bytes('metropole/emp_sts_0750680G_2019.xml'));
    expect(edt.divisions[0]).toEqual({
      code: '3 A',
      services: [{
        subjectCode: '030201', courseMode: 'CG',
        teachers: [{ id: '4189', type: 'epp', courses: [
          { alternation: 'H', day: '1', start: '0800', duration: '0100', room: 'A03' },
          { alternation: 'Q1', day: '2', start: '1500', duration: '0100' },
        ] }],
      }],
    });
    expect(edt.divisions[1]).toEqual({ code: '6 B', services: [] });
    expect(edt.groups[0]).toMatchObject({ code: '3 AVSPRO', label: '3e découverte professionnelle', expectedCount: '12', maxCount: '15', divisions: ['3 A', '6 B'] });
    expect(edt.groups[0]!.services[0]).toMatchObject({ subjectCode: '020100', structureHours: '1.00', teachers: [{ id: '31762', hours: '1.00' }] });
    expect(edt.groups[0]!.services[0]!.teachers[0]!.type).toBeUndefined(); // ENSEIGNANT @TYPE is #IMPLIED
  });

  it('without ANNEE_SCOLAIRE the year comes from the official file name', () => {
    const edt = readEmpSts('emp_sts_0750680G_2019.xml', bytes('metropole-sans-annee/emp_sts_0750680G_2019.xml'));
    expect(edt.header).toMatchObject({ uai: '0750680G', millesime: 2019 });
    expect(edt.yearFrom).toBe('file-name');
    expect(edt.rooms).toEqual([]);
    expect(edt.groups[0]).toMatchObject({ code: '4LV2AJE', divisions: [], services: [{ subjectCode: '031400', coTeaching: 'N' }] });
    expect(parseEmpStsFileName('/tmp/x/emp_sts_9830418m_2019.ZIP')).toEqual({ uai: '9830418M', millesime: 2019 });
  });

  it('without ANNEE_SCOLAIRE nor official name: refused, saying so in French', () => {
    expect(() => readEmpSts('export-edt.xml', bytes('metropole-sans-annee/emp_sts_0750680G_2019.xml')))
      .toThrow(/année scolaire inconnue : ni <ANNEE_SCOLAIRE> dans PARAMETRES, ni nom officiel emp_sts_<UAI>_<AAAA>\.xml/);
  });

  it('Nouvelle-Calédonie: the file carries STS-Web\'s millésime (SIECLE\'s + 1)', () => {
    const edt = readEmpSts('emp_sts_9830418M_2019.xml', bytes('nouvelle-caledonie/emp_sts_9830418M_2019.xml'));
    expect(edt.header).toEqual({ kind: 'edt-sts', uai: '9830418M', millesime: 2019 });
  });

  it('liberal reading: the attribute form UAJ@CODE / ANNEE_SCOLAIRE@ANNEE is read, with a warning (not the DTD shape)', async () => {
    const attr = text('metropole/emp_sts_0750680G_2019.xml')
      .replace('<UAJ>0750680G</UAJ>', '<UAJ CODE="0750680G"><ACADEMIE><CODE>01</CODE></ACADEMIE></UAJ>')
      .replace('<ANNEE_SCOLAIRE>2019</ANNEE_SCOLAIRE>', '<ANNEE_SCOLAIRE ANNEE="2019"/>');
    const read = await readStsChecked('emp_sts_0750680G_2019.xml', latin1(attr), 'edt-sts');
    expect(read.data?.header).toMatchObject({ uai: '0750680G', millesime: 2019 });
    expect(read.anomalies.map((a) => [a.code, a.level, a.subject?.line])).toEqual([['DTD_FORME_STS_EMP', 'warning', 5], ['DTD_FORME_STS_EMP', 'warning', 6]]);
  });

  it('an emp_sts in the shape of sts_emp is Bloquant, naming the line and the element', async () => {
    const wrong = text('metropole/emp_sts_0750680G_2019.xml').replace('  <DONNEES>', '  <NOMENCLATURES><MATIERES/></NOMENCLATURES>\n  <DONNEES>');
    const { anomalies } = await readStsChecked('emp_sts_0750680G_2019.xml', latin1(wrong), 'edt-sts');
    expect(anomalies[0]).toMatchObject({ code: 'DTD_NON_CONFORME', level: 'blocking', subject: { file: 'emp_sts_0750680G_2019.xml', line: 9 } });
    expect(anomalies[0]!.message).toMatch(/^Ligne 9, <NOMENCLATURES> : élément <NOMENCLATURES> inattendu dans <EDT_STS> \(attendu : <DONNEES>/);
  });
});

describe('DTD_STS_EDT.dtd: sts_emp with the 2018 blocks and ISO dates', () => {
  it('is read with its UAI, year and ISO dates; HORAIRES, ALTERNANCES, SALLES_COURS are Informatif only', async () => {
    const read = await readStsChecked('sts_emp_0750680G_2019.xml', bytes('metropole/sts_emp_0750680G_2019.xml'), 'sts-edt');
    expect(read.data?.header).toEqual({ kind: 'sts-edt', uai: '0750680G', millesime: 2019 });
    expect(read.data?.year).toEqual({ millesime: 2019, start: '2019-09-01', end: '2020-08-31' });
    expect(read.data?.teachers.map((t) => [t.id, t.lastName])).toEqual([['4189', 'LÉGER'], ['31762', 'DURAND']]);
    expect(read.anomalies.map((a) => [a.code, a.level, a.message.slice(0, a.message.indexOf(' :'))])).toEqual([
      ['DTD_ELEMENT_RECENT', 'info', 'Ligne 34, <HORAIRES>'],
      ['DTD_ELEMENT_RECENT', 'info', 'Ligne 37, <ALTERNANCES>'],
      ['DTD_ELEMENT_RECENT', 'info', 'Ligne 40, <SALLES_COURS>'],
    ]);
  });

  it('still reads JJ/MM/AAAA dates as ISO', () => {
    const fr = text('metropole/sts_emp_0750680G_2019.xml').replace('2019-09-01', '01/09/2019').replace('2020-08-31', '31/08/2020');
    expect(readStsEdt('sts_emp_0750680G_2019.xml', latin1(fr)).year).toEqual({ millesime: 2019, start: '2019-09-01', end: '2020-08-31' });
  });

  it('an sts_emp SERVICE without CODE_MOD_COURS is Bloquant at its line', async () => {
    const wrong = text('metropole/sts_emp_0750680G_2019.xml').replace('<SERVICE CODE_MATIERE="020100" CODE_MOD_COURS="CG">', '<SERVICE CODE_MATIERE="020100">');
    const blocking = (await readStsChecked('sts_emp_0750680G_2019.xml', latin1(wrong), 'sts-edt')).anomalies.filter((a) => a.level === 'blocking');
    expect(blocking.map((a) => a.message)).toEqual(['Ligne 83, <SERVICE> : attribut obligatoire CODE_MOD_COURS absent de <SERVICE>.']);
  });
});
