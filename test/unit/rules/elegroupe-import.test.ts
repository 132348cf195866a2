import { describe, expect, it } from 'vitest';
import { simulateEleGroupeImport } from '../../../rules/elegroupe-import.js';
import { communs, eleGroupeFile, eleves, entry, MEF_3E, pupil, structures } from './nc-school.js';

const base = () => eleves([pupil('210167'), pupil('238836'), pupil('300001', { mef: MEF_3E, divisions: ['3EME A'] })]);

describe('élève-groupe nightly import: seed 004 (Nouvelle-Calédonie, millésime 2017)', () => {
  const file = eleGroupeFile([
    entry('210167', [{ code: 'MPERMANGR2' }, { code: '4EME LV2 AJE', start: '2018-02-19', end: '2018-12-15' }]),
    entry('238836', [{ code: '4EME LV2 AJE' }]),
  ]);

  it('rejects the group unknown to SIECLE and resets the end date to the last day of the year', () => {
    const report = simulateEleGroupeImport(file, { eleves: base(), structures, communs });
    const [first] = report.pupils;
    expect(first?.class).toBe('PAR');
    expect(first?.anomalies.map((a) => [a.code, a.label, a.message])).toEqual([
      ['GROUPE_A_01', 'GROUPE', 'Le groupe "MPERMANGR2" n\'est pas référencé. L\'inscription de l\'élève dans ce groupe a été rejetée.'],
      ['ELEGRP_A_03', 'ELEGRP', 'La date de fin "15/12/2018" du groupe "4EME LV2 AJE" n\'est pas incluse dans la période scolaire autorisée sur l\'année en cours (du 19/02/2018 au 14/12/2018). Celle-ci a été réinitialisée à "14/12/2018".'],
    ]);
    expect(first?.anomalies[0]?.cause).toBe("Ce groupe n'est pas connu de SIECLE, il est donc ignoré.");
    expect(first?.anomalies[1]?.cause).toBe('Différence de calendrier entre SIECLE et PRONOTE');
    expect(report.links).toEqual([
      { eleveId: '210167', groupCode: '4EME LV2 AJE', start: '2018-02-19', end: '2018-12-14' },
      { eleveId: '238836', groupCode: '4EME LV2 AJE', start: '2018-02-19' },
    ]);
    expect(report.counts).toEqual({ read: 2, imported: 1, partial: 1, rejected: 0, absent: 1 });
  });

  it('finds the same période autorisée from the calendar table when Communs.xml is not given', () => {
    const report = simulateEleGroupeImport(file, { eleves: base(), structures });
    expect(report.period).toEqual({ start: '2018-02-19', end: '2018-12-14', source: 'table' });
    expect(report.pupils[0]?.anomalies[1]?.message).toContain('(du 19/02/2018 au 14/12/2018). Celle-ci a été réinitialisée à "14/12/2018".');
  });
});

describe('élève-groupe nightly import: pupil look-up', () => {
  it('falls back from an unknown ELEVE_ID to INE, private id and identity', () => {
    const siecle = eleves([
      pupil('1', { ine: '1234567890A' }),
      pupil('2', { privateId: '77' }),
      pupil('3', { lastName: 'Dupré', usageName: 'MARTIN', firstName: 'Élise', firstName2: 'Anne' }),
    ]);
    const file = eleGroupeFile([
      entry('x', [{ code: 'AP' }], { id: { kind: 'ID_NATIONAL', value: '1234567890a' } }),
      entry('x', [{ code: 'AP' }], { id: { kind: 'ID_PRV_ELE', value: '77' } }),
      entry('999', [{ code: 'AP' }], { lastName: 'martin', firstName: 'ELISE', firstName2: 'anne', birthDate: '2004-05-06' }),
    ]);
    const report = simulateEleGroupeImport(file, { eleves: siecle, structures, communs });
    expect(report.pupils.map((p) => [p.eleveId, p.class])).toEqual([['1', 'REINIT_ELGRP'], ['2', 'REINIT_ELGRP'], ['3', 'REINIT_ELGRP']]);
  });

  it('rejects an unknown pupil (REJELEGROUPE_01) with the date JJ/MM/AAAA and the id sent', () => {
    const report = simulateEleGroupeImport(eleGroupeFile([entry('42', [{ code: 'AP' }], { lastName: 'INCONNU', firstName: 'Jean', birthDate: '2005-01-31' })]), {
      eleves: base(), structures, communs,
    });
    expect(report.pupils[0]?.class).toBe('REJ_ELGRP');
    expect(report.anomalies[0]).toMatchObject({
      code: 'REJELEGROUPE_01',
      level: 'error',
      message: "L'élève INCONNU Jean né le 31/01/2005 (identifiant envoyé = 42) n'a pas été trouvé dans SCONET. Veuillez mettre à jour les identifiants dans votre logiciel d'emploi du temps privé.",
    });
    expect(report.counts).toMatchObject({ read: 1, rejected: 1, absent: 3 });
  });

  it('rejects a pupil sent twice and homonyms (REJELEGROUPE_03)', () => {
    const siecle = eleves([pupil('1'), pupil('2', { lastName: 'TWIN', firstName: 'A' }), pupil('3', { lastName: 'TWIN', firstName: 'A' })]);
    const file = eleGroupeFile([
      entry('1', [{ code: 'AP' }]),
      entry('x', [{ code: 'AP' }], { id: { kind: 'ID_PRV_ELE', value: '5' }, lastName: 'NOM1', firstName: 'Prenom1' }),
      entry('y', [{ code: 'AP' }], { id: { kind: 'ID_PRV_ELE', value: '6' }, lastName: 'TWIN', firstName: 'A' }),
    ]);
    const report = simulateEleGroupeImport(file, { eleves: siecle, structures, communs });
    expect(report.pupils.map((p) => p.anomalies[0]?.code ?? p.class)).toEqual(['REINIT_ELGRP', 'REJELEGROUPE_03', 'REJELEGROUPE_03']);
    expect(report.counts).toEqual({ read: 3, imported: 1, partial: 0, rejected: 2, absent: 2 });
  });
});

describe('élève-groupe nightly import: groups and MEF', () => {
  it('rejects every link of a pupil without MEF (GROUPE_B_01)', () => {
    const report = simulateEleGroupeImport(eleGroupeFile([entry('1', [{ code: 'AP' }])]), { eleves: eleves([pupil('1', { mef: undefined })]), structures, communs });
    expect(report.pupils[0]).toMatchObject({ class: 'REJ_ELGRP', anomalies: [{ code: 'GROUPE_B_01', level: 'error' }] });
    expect(report.links).toEqual([]);
  });

  it('drops a group attached to another MEF (GROUPE_B_02), through its MEF or its division', () => {
    const report = simulateEleGroupeImport(eleGroupeFile([entry('1', [{ code: '3LATIN' }, { code: 'AP' }]), entry('3', [{ code: '4EME LV2 AJE' }])]), {
      eleves: eleves([pupil('1'), pupil('3', { mef: MEF_3E })]), structures, communs,
    });
    expect(report.pupils[0]?.anomalies[0]?.message).toBe('Le groupe "3LATIN" n\'est pas rattaché au MEF ("10310019110") de l\'élève. L\'inscription de l\'élève dans ce groupe a été rejetée.');
    expect(report.pupils[0]?.class).toBe('PAR');
    expect(report.pupils[1]).toMatchObject({ class: 'REJ_ELGRP', anomalies: [{ code: 'GROUPE_B_02' }] });
  });

  it('processes a long CODE_GROUPE like any other and says when Structures is missing', () => {
    const report = simulateEleGroupeImport(eleGroupeFile([entry('1', [{ code: 'MPERMANGR2' }])]), { eleves: eleves([pupil('1')]) });
    expect(report.pupils[0]?.class).toBe('REINIT_ELGRP');
    expect(report.anomalies).toMatchObject([{ code: 'STRUCTURES_ABSENTES', level: 'info' }]);
  });

  it('counts the SIECLE links the full replacement removes', () => {
    const report = simulateEleGroupeImport(eleGroupeFile([entry('1', [{ code: 'AP' }])]), {
      eleves: eleves([pupil('1', { groups: ['AP', '4EME LV2 AJE'] }), pupil('2', { groups: ['AP'] })]), structures, communs,
    });
    expect(report.removedLinks).toBe(2);
  });
});

describe('élève-groupe nightly import: dates', () => {
  const run = (groups: Parameters<typeof entry>[1], over = {}) =>
    simulateEleGroupeImport(eleGroupeFile([entry('1', groups)]), { eleves: eleves([pupil('1', over)]), structures, communs });

  it('resets a start before the year to the entry date of a pupil who entered during the year (ELEGRP_A_02)', () => {
    const report = run([{ code: 'AP', start: '2018-01-10' }], { entryDate: '2018-04-03' });
    expect(report.links[0]).toEqual({ eleveId: '1', groupCode: 'AP', start: '2018-04-03' });
    expect(report.anomalies[0]?.message).toBe('La date de début "10/01/2018" du groupe "AP" n\'est pas incluse dans la période scolaire autorisée sur l\'année en cours (du 19/02/2018 au 14/12/2018). Celle-ci a été réinitialisée à "03/04/2018".');
  });

  it('fills a missing start with DATE_DEB_ELEVE and a missing end with the leaving date, silently', () => {
    const report = run([{ code: 'AP' }], { leavingDate: '2018-06-30' });
    expect(report.links[0]).toEqual({ eleveId: '1', groupCode: 'AP', start: '2018-02-19', end: '2018-06-30' });
    expect(report.pupils[0]?.class).toBe('REINIT_ELGRP');
  });

  it('resets a start later than the end (ELEGRP_A_01) and accepts a one-day group', () => {
    const report = run([{ code: 'AP', start: '2018-06-10', end: '2018-05-01' }, { code: '4EME LV2 AJE', start: '2018-05-01', end: '2018-05-01' }]);
    expect(report.anomalies.map((a) => a.message)).toEqual([
      'La date de début "10/06/2018" n\'est pas antérieure à la date de fin "01/05/2018" pour le groupe "AP". Celle-ci a été réinitialisée à "19/02/2018".',
    ]);
    expect(report.links.map((l) => l.start)).toEqual(['2018-02-19', '2018-05-01']);
  });

  it('treats an impossible date as invalid and resets an end before the year to empty', () => {
    const report = run([{ code: 'AP', start: '2018-02-30', end: '2017-12-01' }]);
    expect(report.anomalies.map((a) => a.code)).toEqual(['ELEGRP_A_02', 'ELEGRP_A_03']);
    expect(report.anomalies[1]?.message).toMatch(/réinitialisée à ""\.$/);
    expect(report.links[0]).toEqual({ eleveId: '1', groupCode: 'AP', start: '2018-02-19' });
  });
});
