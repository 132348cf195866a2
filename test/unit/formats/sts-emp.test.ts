import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseEmpStsFileName } from '../../../formats/emp-sts.js';
import { readStsEdt, parseStsEdtFileName } from '../../../formats/sts-edt.js';

// No real sts_emp file exists publicly: this one follows the tree GEPI, SACoche and pyKol read,
// with the real fragments quoted in shared/formats/README.md §1, in the JJ/MM/AAAA dates the
// reader still accepts (ISO dates: test/fixtures/sts-web, test/unit/formats/sts-web-fixtures.test.ts).
function stsFile(root: 'STS_EDT' | 'EDT_STS', extraParams = ''): Buffer {
  return iconv.encode(`<?xml version="1.0" encoding="ISO-8859-15"?>
<${root}>
  <PARAMETRES>
    <UAJ CODE="0750680G"><ACADEMIE><CODE>01</CODE><LIBELLE>PARIS</LIBELLE></ACADEMIE><DENOM_PRINC>COLLÈGE ARAGO</DENOM_PRINC></UAJ>
    <ANNEE_SCOLAIRE ANNEE="2017"><DATE_DEBUT>04/09/2017</DATE_DEBUT><DATE_FIN>31/08/2018</DATE_FIN></ANNEE_SCOLAIRE>
    ${extraParams}
  </PARAMETRES>
  <NOMENCLATURES><MATIERES>
    <MATIERE CODE="030201"><CODE_GESTION>AGL1</CODE_GESTION><LIBELLE_COURT>ANGLAIS LV1</LIBELLE_COURT><LIBELLE_LONG>ANGLAIS LV1</LIBELLE_LONG></MATIERE>
    <MATIERE CODE="020100"><CODE_GESTION>FRANC</CODE_GESTION><LIBELLE_LONG>FRANÇAIS</LIBELLE_LONG></MATIERE>
  </MATIERES></NOMENCLATURES>
  <DONNEES>
    <INDIVIDUS>
      <INDIVIDU ID="4189" TYPE="epp"><SEXE>2</SEXE><CIVILITE>3</CIVILITE><NOM_USAGE>LÉGER</NOM_USAGE><NOM_PATRONYMIQUE>MARTIN</NOM_PATRONYMIQUE><PRENOM>Hélène</PRENOM>
        <DATE_NAISSANCE>1975-03-08</DATE_NAISSANCE><FONCTION>ENS</FONCTION>
        <PROFS_PRINC><PROF_PRINC><CODE_STRUCTURE>3 A</CODE_STRUCTURE></PROF_PRINC></PROFS_PRINC></INDIVIDU>
      <INDIVIDU ID="31762" TYPE="local"><NOM_USAGE>DURAND</NOM_USAGE><PRENOM>Luc</PRENOM></INDIVIDU>
    </INDIVIDUS>
    <STRUCTURE>
      <DIVISIONS>
        <DIVISION CODE="3 A"><LIBELLE_LONG/><EFFECTIF_PREVU>16</EFFECTIF_PREVU>
          <MEFS_APPARTENANCE><MEF_APPARTENANCE CODE="16710002110"><EFFECTIF_PREVU>16</EFFECTIF_PREVU></MEF_APPARTENANCE></MEFS_APPARTENANCE>
          <SERVICES><SERVICE CODE_MATIERE="030201" CODE_MOD_COURS="CG"><ENSEIGNANTS><ENSEIGNANT ID="4189" TYPE="epp"/></ENSEIGNANTS></SERVICE></SERVICES>
        </DIVISION>
      </DIVISIONS>
      <GROUPES>
        <GROUPE CODE="3 AVSPRO"><LIBELLE_LONG/>
          <DIVISIONS_APPARTENANCE><DIVISION_APPARTENANCE CODE="3 A"/><DIVISION_APPARTENANCE CODE="6 B"><EFFECTIF_PREVU>3</EFFECTIF_PREVU></DIVISION_APPARTENANCE></DIVISIONS_APPARTENANCE>
          <SERVICES><SERVICE CODE_MATIERE="020100" CODE_MOD_COURS="CG"><ENSEIGNANTS><ENSEIGNANT TYPE="epp" ID="31762"/><ENSEIGNANT ID="4189" TYPE="epp"/></ENSEIGNANTS></SERVICE></SERVICES>
        </GROUPE>
      </GROUPES>
    </STRUCTURE>
  </DONNEES>
</${root}>`, 'ISO-8859-15');
}

describe('sts_emp (STS_EDT)', () => {
  const sts = readStsEdt('sts_emp_0750680G_2017.xml', stsFile('STS_EDT'));

  it('reads UAI and millésime from attributes', () => {
    expect(sts.header).toEqual({ kind: 'sts-edt', uai: '0750680G', millesime: 2017 });
    expect(sts.school).toEqual({ uai: '0750680G', name: 'COLLÈGE ARAGO', academie: { code: '01', label: 'PARIS' } });
    expect(sts.year).toEqual({ millesime: 2017, start: '2017-09-04', end: '2018-08-31' });
  });

  it('reads subjects with leading zeros and accents', () => {
    expect(sts.subjects.map((s) => s.code)).toEqual(['030201', '020100']);
    expect(sts.subjects[1]?.longLabel).toBe('FRANÇAIS');
  });

  it('reads teachers with their type and professeur principal divisions', () => {
    expect(sts.teachers[0]).toEqual({
      id: '4189', type: 'epp', sex: '2', civility: '3', lastName: 'LÉGER', birthName: 'MARTIN', firstName: 'Hélène',
      birthDate: '1975-03-08', function: 'ENS', mainTeacherOf: ['3 A'],
    });
    expect(sts.teachers[1]).toMatchObject({ id: '31762', type: 'local', mainTeacherOf: [] });
  });

  it('reads divisions and cross-class groups with their services', () => {
    expect(sts.divisions).toEqual([{ code: '3 A', mefs: ['16710002110'], services: [{ subjectCode: '030201', courseMode: 'CG', teachers: [{ id: '4189', type: 'epp' }] }] }]);
    expect(sts.groups[0]?.divisions).toEqual(['3 A', '6 B']);
    expect(sts.groups[0]?.services[0]?.teachers).toEqual([{ id: '31762', type: 'epp' }, { id: '4189', type: 'epp' }]);
  });

  it('refuses an emp_sts given as sts_emp', () => {
    expect(() => readStsEdt('x.xml', stsFile('EDT_STS'))).toThrow(/racine <EDT_STS> inattendue : <STS_EDT> attendu/);
  });

  it('parses file names', () => {
    expect(parseStsEdtFileName('sts_emp_9830418M_2018.xml')).toEqual({ uai: '9830418M', millesime: 2018 });
    expect(parseStsEdtFileName('emp_sts_9830418M_2018.xml')).toBeUndefined();
    expect(parseEmpStsFileName('emp_sts_9830418M_2018.xml')).toEqual({ uai: '9830418M', millesime: 2018 });
  });
});
