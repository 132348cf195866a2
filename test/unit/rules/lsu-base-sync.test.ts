import { describe, expect, it } from 'vitest';
import { simulateBaseSync } from '../../../rules/lsu-base-sync.js';
import { parseLsuState } from '../../../rules/lsu-state.js';
import type { SiecleCommuns, SiecleStructures } from '../../../formats/types.js';
import { eleves, sts, UAI } from './lsu-fixture.js';

const communs: SiecleCommuns = { header: { kind: 'siecle-communs', uai: UAI, millesime: 2022 }, school: { name: 'COLLEGE LES TILLEULS' }, schoolYear: { start: '2022-09-01', end: '2023-08-31' }, periods: [], closures: [] };
const structures: SiecleStructures = { header: { kind: 'siecle-structures', uai: UAI, millesime: 2022 }, divisions: [{ code: '3EME1', label: '3e 1', mefs: [] }], groups: [] };

function siecleView() {
  const e = eleves([{ id: '1', division: '3EME1' }, { id: '2', division: '3EME1' }]);
  e.pupils[0] = { ...e.pupils[0]!, lastName: 'MARTIN', firstName: 'Léa', firstName2: 'Anne', sex: '2', ine: '1234567890A' };
  const s = sts(['101', '102'], [{ code: '3EME1', subjects: ['030201'] }]);
  s.divisions[0]!.services[0]!.teachers = [{ id: '102', type: 'epp' }];
  s.teachers[0] = { ...s.teachers[0]!, civility: 'MME', lastName: 'DURAND', firstName: 'Anne', mainTeacherOf: ['3EME1'] };
  return { eleves: e, sts: s };
}

describe('LSU synchronisation base élèves (seed 003)', () => {
  it('is refused (Bloquant) while a class has no periods', () => {
    const state = parseLsuState({ classes: [{ code: '3EME1', periodsSet: true }, { code: '3EME2', periodsSet: false }] });
    const report = simulateBaseSync({ state, ...siecleView() });
    expect(report.ok).toBe(false);
    expect(report.anomalies).toMatchObject([{ level: 'blocking', message: expect.stringContaining('3EME2') as string }]);
    expect(report.changes).toEqual([]);
  });

  it('updates school (not its UAI), class labels, pupils, teachers and unlocked bilans only', () => {
    const state = parseLsuState({
      uai: UAI,
      school: { name: 'COLLEGE TILLEULS' },
      classes: [{ code: '3EME1', label: '3EME 1' }],
      pupils: [{ eleveId: '1', lastName: 'MARTIN', firstNames: 'Léa', birthDate: '2009-01-01', sex: '2', ine: '1234567890A' }, { eleveId: '2', lastName: 'N', firstNames: 'P', birthDate: '2009-01-01' }],
      teachers: [{ idSts: '101', civility: 'M', lastName: 'DURAND', firstName: 'Anne' }],
      bilans: [
        { eleveId: '1', kind: 'periodic', period: { millesime: 2022, index: 1, count: 3 }, locked: true, disciplines: { '030201': ['999'] }, mainTeachers: [] },
        { eleveId: '2', kind: 'periodic', period: { millesime: 2022, index: 1, count: 3 }, disciplines: { '030201': ['999'], '020100': [] }, mainTeachers: [] },
      ],
    });
    const report = simulateBaseSync({ state, communs, structures, ...siecleView() });
    expect(report.changes.map((c) => [c.scope, c.id, c.field, c.from, c.to])).toEqual([
      ['etablissement', UAI, 'dénomination', 'COLLEGE TILLEULS', 'COLLEGE LES TILLEULS'],
      ['classe', '3EME1', 'libellé', '3EME 1', '3e 1'],
      ['eleve', '1', 'prénoms', 'Léa', 'Léa Anne'],
      ['enseignant', '101', 'civilité', 'M', 'MME'],
      ['bilan', '2|P1', 'disciplines', '020100,030201', '030201'],
      ['bilan', '2|P1', 'enseignants 030201', '999', '102'],
      ['bilan', '2|P1', 'professeur principal', '', '101'],
    ]);
    expect(report.lockedBilansKept).toBe(1);
    expect(report.messages).toEqual(["L'établissement a bien été mis à jour", "L'élève (3EME1) a été mis à jour.", "La synchronisation s'est déroulée avec succès."]);
  });
});
