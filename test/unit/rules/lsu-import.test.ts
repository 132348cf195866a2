import { describe, expect, it } from 'vitest';
import { createLsuImportChecker, LSU_MAX_BYTES } from '../../../rules/lsu-import.js';
import { parseLsuState } from '../../../rules/lsu-state.js';
import { cycle, eleves, header, periodic, refs, run, sts, UAI } from './lsu-fixture.js';

describe('LSU import report: seed 000 (84 periodic with 3 alerts, 25 end-of-cycle with 1 alert)', () => {
  const pupils: Parameters<typeof refs>[0] = Array.from({ length: 84 }, (_, i) => ({ idBe: String(1000 + i), division: i % 2 ? '3 6' : '3 3' }));
  pupils[0] = { idBe: '1000', division: '3 3', lastName: 'DOS SANTOS', firstName: 'Anthony' };
  const r = refs(pupils, [{ ref: 'ENS1', idSts: '101', civility: 'M', lastName: 'CONNU' }, { ref: 'ENS2', idSts: '999', civility: 'MME', lastName: 'INCONNUE' }]);
  const bilans = [
    ...pupils.map((p, i) => periodic(p.idBe, i < 3 ? ['ENS2'] : ['ENS1'])),
    ...pupils.slice(0, 25).map((p, i) => cycle(p.idBe, i === 0 ? ['ENS2'] : ['ENS1'])),
  ];
  const report = run({ sts: sts(['101']), sizeBytes: 1_182_793 }, r, bilans);

  it('counts bilans like LSU: traités, importés dont avec alerte(s), rejetés', () => {
    expect(report.periodic).toEqual({ processed: 84, imported: 84, importedWithAlerts: 3, rejected: 0 });
    expect(report.cycle).toEqual({ processed: 25, imported: 25, importedWithAlerts: 1, rejected: 0 });
    expect(report.verdict).toBe('accepted-with-anomalies');
  });

  it('groups alerts by label with counts, then lists them with the verbatim message', () => {
    expect(report.labels.periodic).toEqual([{ label: 'Enseignant inconnu', level: 'warning', count: 3 }]);
    expect(report.labels.cycle).toEqual([{ label: 'Enseignant inconnu', level: 'warning', count: 1 }]);
    expect(report.anomalies[0]?.message).toBe(
      "L'enseignant MME INCONNUE est inconnu dans la base de données SIECLE. Il ne pourra pas consulter le bilan de l'élève dans LSU. Vérifiez les données dans le logiciel de gestion des notes, Services et Structures (STS.WEB) et SIECLE (export services STS.WEB/SIECLE)",
    );
    expect(report.anomalies.at(-1)?.message).toBe(
      "L'enseignant MME INCONNUE est inconnu dans la base de données SIECLE. Il ne pourra pas consulter le bilan de fin de cycle 4 de l'élève DOS SANTOS Anthony (3 3) dans LSU. Vérifiez les données dans le logiciel de gestion des notes, Services et Structures (STS.WEB) et SIECLE",
    );
  });

  it('heads the report with classes, file name and size, editor, version, date', () => {
    expect(report).toMatchObject({ classes: ['3 3', '3 6'], file: 'import_lsu_20230313112226.xml', sizeLabel: '1.128 Mo', editor: 'MEN', version: 'V1.0', date: '2023-03-13' });
  });
});

describe('LSU import: errors reject the bilan, alerts do not', () => {
  const r = refs([{ idBe: '1', division: '3A' }, { idBe: '2', division: '3A' }, { idBe: '3', division: '9Z' }], [{ ref: 'ENS1', idSts: '101', lastName: 'A' }]);

  it('rejects a pupil SIECLE does not know or who left before the period (Élève non scolarisé)', () => {
    const report = run({ eleves: eleves([{ id: '1', division: '3A' }, { id: '2', division: '3A', leavingDate: '2022-11-30' }]) }, r, [periodic('1'), periodic('2'), periodic('4')]);
    expect(report.periodic).toEqual({ processed: 3, imported: 1, importedWithAlerts: 0, rejected: 2 });
    expect(report.labels.periodic).toEqual([{ label: 'Élève non scolarisé', level: 'error', count: 2 }]);
    expect(report.anomalies[0]?.correction).toContain('Corrigez et réimportez.');
  });

  it('flags a missing teacher, a subject not taught in the class, an unknown class', () => {
    const report = run(
      { sts: sts(['101'], [{ code: '3A', subjects: ['020100'] }]), eleves: eleves([{ id: '1', division: '3A' }, { id: '3', division: '3A' }]) },
      r,
      [periodic('1', []), periodic('3')],
    );
    expect(report.labels.periodic.map((l) => [l.label, l.count])).toEqual([['Classe non trouvée', 1], ['Disciplines non enseignées', 1], ['Enseignant manquant', 1]]);
    expect(report.periodic).toMatchObject({ imported: 1, importedWithAlerts: 1, rejected: 1 });
  });

  it('alerts on a teacher known to STS-Web without a service in the class (seed 001)', () => {
    const report = run({ sts: sts(['101'], [{ code: '3A', subjects: ['030201'] }]) }, r, [periodic('1')]);
    expect(report.anomalies).toMatchObject([{ label: 'Enseignant sans service', level: 'warning', subject: { teacherId: '101' } }]);
    expect(report.anomalies[0]?.message).toContain('ces enseignants ne peuvent consulter le bilan de l\'élève dans LSU');
  });

  it('alerts on periods that disagree with SIECLE without rejecting', () => {
    const report = run({ millesime: 2023 }, r, [periodic('1')]);
    expect(report.anomalies).toMatchObject([{ label: 'Période incohérente avec SIECLE', level: 'warning' }]);
    expect(report.anomalies[0]?.message).toContain('millésime 2022 au lieu de 2023');
    expect(report.periodic.importedWithAlerts).toBe(1);
  });

  it('rejects an end-of-cycle bilan of another year and a dispense outside the foreign-language domain', () => {
    const report = run({}, r, [cycle('1', ['ENS1'], { millesime: 2021 }), cycle('2', ['ENS1'], { socle: [{ code: 'CPD_ETR', positioning: 0 }, { code: 'CPD_FRA', positioning: 0 }] })]);
    expect(report.labels.cycle.map((l) => [l.label, l.count])).toEqual([['Année scolaire incohérente', 1], ['Dispenses non autorisées', 1]]);
    expect(report.cycle.rejected).toBe(2);
  });
});

describe('LSU import: state of LSU (visa, annule et remplace, Sconet Notes)', () => {
  const r = refs([{ idBe: '1', division: '3A' }, { idBe: '2', division: '3B' }, { idBe: '3', division: '3B' }], [{ ref: 'ENS1', idSts: '101', lastName: 'A' }]);
  const period = { millesime: 2022, index: 2, count: 3 };
  const state = parseLsuState({
    classes: [{ code: '3B', mode: 'Import Sconet Notes' }],
    bilans: [
      { eleveId: '1', kind: 'periodic', period, visa: true },
      { eleveId: '1', kind: 'cycle', cycle: 4, visa: true },
      { eleveId: '2', kind: 'periodic', period, generalAppraisal: 'typed', source: 'saisie' },
      { eleveId: '3', kind: 'periodic', period, vieScolaire: 'typed', locked: true },
    ],
    repeaters: ['1'],
  });

  it('refuses a bilan visé, except the end-of-cycle bilan of a repeater, which replaces the old one', () => {
    const report = run({ state }, r, [periodic('1'), cycle('1')]);
    expect(report.periodic.rejected).toBe(1);
    expect(report.anomalies.map((a) => a.label)).toEqual(['Bilan visé par un représentant légal', 'Annule et remplace']);
    expect(report.cycle).toEqual({ processed: 1, imported: 1, importedWithAlerts: 0, rejected: 0 });
  });

  it('applies the Sconet Notes rules: no end-of-cycle bilans, appraisal typed in LSU rejects, vie scolaire deleted', () => {
    const report = run({ state }, r, [periodic('2'), periodic('3'), cycle('3')]);
    expect(report.periodic).toEqual({ processed: 2, imported: 1, importedWithAlerts: 0, rejected: 1 });
    expect(report.cycle.rejected).toBe(1);
    expect(report.anomalies.map((a) => a.message)).toEqual([
      "L'appréciation générale a été saisie dans LSU : le bilan périodique est rejeté.",
      'Les données de vie scolaire saisies dans LSU sont supprimées (le fichier en contient).',
      'Bilan déjà importé : il est remplacé (annule et remplace).',
      "Classe en « Import Sconet Notes » : l'import ne peut pas contenir de bilan de fin de cycle.",
    ]);
  });

  it('rejects a malformed lsu-state.json with a French message', () => {
    expect(() => parseLsuState({ classes: [{ code: '3A', mode: 'Autre' }] })).toThrow(/lsu-state.json invalide : classes.0.mode/);
  });
});

describe('LSU import: Bloquant', () => {
  const r = refs([{ idBe: '1', division: '3A' }], []);

  it('rejects a file over 100 Mo or of another school: nothing imported', () => {
    const big = run({ sizeBytes: LSU_MAX_BYTES + 1 }, r, [periodic('1')]);
    expect(big.verdict).toBe('rejected');
    expect(big.periodic).toEqual({ processed: 1, imported: 0, importedWithAlerts: 0, rejected: 1 });
    expect(run({}, r, [periodic('1')], { ...header, uai: '0750680G' }).anomalies).toMatchObject([{ level: 'blocking', label: 'Fichier rejeté' }]);
  });

  it('turns a reader failure into one Bloquant anomaly naming the problem', () => {
    const checker = createLsuImportChecker({ uai: UAI, on: '2023-03-13', file: 'x.xml' });
    checker.onBilan(periodic('1'), r);
    const report = checker.fail(new Error('Fichier « x.xml » (ligne 12) : fichier tronqué.'));
    expect(report.verdict).toBe('rejected');
    expect(report.anomalies).toHaveLength(1);
    expect(report.anomalies[0]?.message).toContain('fichier tronqué');
  });
});
