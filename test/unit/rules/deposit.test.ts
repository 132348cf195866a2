import { describe, expect, it } from 'vitest';
import { checkEleGroupeDeposit } from '../../../rules/deposit.js';
import { fill, resetValue, siecleMessage } from '../../../rules/messages.js';
import { eleGroupeFile, entry } from './nc-school.js';

const NAME = '9830418MELEGROUPE2017180724091341';

describe('élève-groupe deposit: the four SIECLE refusals', () => {
  it('accepts the seed 004 file on 24/07/2018', () => {
    const result = checkEleGroupeDeposit({ zipName: `${NAME}.zip`, xmlName: `${NAME}.xml`, schema: { valid: true, errors: [] }, on: '2018-07-24', schoolUai: '9830418M' });
    expect(result).toEqual({ accepted: true, uai: '9830418M', millesime: 2017, anomalies: [] });
  });

  it('refuses a 2018 file in July 2018 in Nouvelle-Calédonie (seed 004, PRONOTE not connected)', () => {
    const result = checkEleGroupeDeposit({ zipName: '9830418MELEGROUPE2018180724091341.zip', xmlName: '9830418MELEGROUPE2018180724091341.xml', on: '2018-07-24' });
    expect(result.accepted).toBe(false);
    expect(result.anomalies).toMatchObject([{ code: 'DEPOT_ANNEE', level: 'blocking', message: "Année du fichier différente de l'année utilisée !" }]);
    expect(result.anomalies[0]?.correction).toContain('vérifiez la version de votre client Pronote');
  });

  it('refuses a zip renamed away from its xml, and a name out of format', () => {
    const renamed = checkEleGroupeDeposit({ zipName: `${NAME}.zip`, xmlName: '9830418MELEGROUPE2017180724091342.xml', on: '2018-07-24' });
    expect(renamed.anomalies.map((a) => a.message)).toEqual(['Nom de fichier .zip incorrect ! Le nom du fichier .zip doit être indique à celui du fichier .xml.']);
    const badName = checkEleGroupeDeposit({ zipName: 'liens groupes.zip', on: '2018-07-24' });
    expect(badName.anomalies.map((a) => a.message)).toEqual(['Nom du fichier mal formaté!']);
    expect(checkEleGroupeDeposit({ zipName: `${NAME}.xml`, on: '2018-07-24' }).anomalies[0]?.code).toBe('DEPOT_NOM');
  });

  it('refuses an XSD-invalid file but not for a CODE_GROUPE longer than 8 (reported as information)', () => {
    const invalid = checkEleGroupeDeposit({ zipName: `${NAME}.zip`, schema: { valid: false, errors: [{ message: "Element 'DATE_NAISS': '06/05/2004' is not a valid value of the atomic type 'xs:date'.", line: 12 }] }, on: '2018-07-24' });
    expect(invalid.anomalies).toMatchObject([{ code: 'DEPOT_XSD', message: "Fichier XML non valide. Impossible d'importer ce fichier.", subject: { line: 12 } }]);
    const longCode = checkEleGroupeDeposit({
      zipName: `${NAME}.zip`,
      schema: { valid: false, errors: [{ message: "Element 'CODE_GROUPE': [facet 'maxLength'] The value has a length of '12'." }] },
      file: eleGroupeFile([entry('1', [{ code: '4EME LV2 AJE' }, { code: 'AP' }])]),
      on: '2018-07-24',
    });
    expect(longCode.accepted).toBe(true);
    expect(longCode.anomalies).toMatchObject([{ code: 'CODE_GROUPE_LONG', level: 'info', subject: { groupCode: '4EME LV2 AJE' } }]);
  });
});

describe('élève-groupe deposit: what SIECLE would find later', () => {
  it('refuses the file of another school, a bad check letter, a content year that disagrees with the name', () => {
    const file = { ...eleGroupeFile([entry('1', [{ code: 'AP' }])], 2016) };
    const result = checkEleGroupeDeposit({ zipName: '9830418AELEGROUPE2017180724091341.zip', file, schoolUai: '9830418M', on: '2018-07-24' });
    expect(result.anomalies.map((a) => a.code)).toEqual(['DEPOT_UAI_INVALIDE', 'DEPOT_UAI', 'DEPOT_ANNEE_CONTENU', 'DEPOT_UAI_CONTENU']);
  });

  it('accepts both bases from May in metropolitan France and says which one is targeted', () => {
    const on = '2019-06-15';
    const next = checkEleGroupeDeposit({ zipName: '0750680GELEGROUPE2019190615101010.zip', on });
    expect(next.accepted).toBe(true);
    expect(next.anomalies).toMatchObject([{ code: 'DEPOT_BASE_SUIVANTE', level: 'info' }]);
    expect(checkEleGroupeDeposit({ zipName: '0750680GELEGROUPE2018190615101010.zip', on }).anomalies).toEqual([]);
    expect(checkEleGroupeDeposit({ zipName: '0750680GELEGROUPE2018190615101010.zip', on, baseInUse: 2019 }).accepted).toBe(false);
    expect(checkEleGroupeDeposit({ zipName: '0750680GELEGROUPE2017190615101010.zip', on }).accepted).toBe(false);
  });

  it('refuses until a pupils XML export has been made', () => {
    expect(checkEleGroupeDeposit({ zipName: `${NAME}.zip`, on: '2018-07-24', pupilsExportDone: false }).anomalies[0]?.code).toBe('DEPOT_EXPORT_ELEVES');
  });
});

describe('messages', () => {
  it('fills % in order, writes ISO dates JJ/MM/AAAA and leaves extra % visible', () => {
    expect(fill('a % b % c %', 1, 'x')).toBe('a 1 b x c %');
    expect(siecleMessage('GROUPE_A_01', 'AP')).toBe('Le groupe "AP" n\'est pas référencé. L\'inscription de l\'élève dans ce groupe a été rejetée.');
    expect(resetValue('2018-12-14')).toBe('"14/12/2018"');
    expect(resetValue(undefined)).toBe('""');
  });
});
