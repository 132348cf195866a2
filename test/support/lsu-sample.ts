// A small but complete LSU document used by the writer and reader tests.
import type { LsuBilansDocument } from '../../formats/types.js';

export function lsuSampleDocument(schemaVersion = '10.0'): LsuBilansDocument {
  return {
    schemaVersion,
    editor: 'INDEX ÉDUCATION',
    application: 'PRONOTE',
    applicationVersion: '2025.1',
    uai: '0750680G',
    pupils: [
      { ref: 'EL_1', idBe: '1541944', lastName: 'LÉVÊQUE', firstName: 'Zoé', division: '3 A' },
      { ref: 'EL_2', idBe: '1826500', lastName: "D'ALMEIDA", firstName: 'Noël', division: '3 B' },
    ],
    periods: [{ ref: 'P_1', millesime: 2024, index: 1, count: 3 }],
    disciplines: [
      { ref: 'DI_1', code: '030201', modaliteElection: 'S', label: 'ANGLAIS LV1' },
      { ref: 'DI_2', code: '020100', modaliteElection: 'S', label: 'FRANÇAIS' },
    ],
    teachers: [
      { ref: 'EN_1', idSts: '4189', type: 'epp', civility: 'MME', lastName: 'MARTIN', firstName: 'Hélène' },
      { ref: 'EN_2', idSts: '31762', type: 'local', lastName: 'DURAND' },
    ],
    periodic: [
      {
        kind: 'periodic', pupilRef: 'EL_1', periodRef: 'P_1', mainTeacherRefs: ['EN_1'],
        councilDate: '2024-12-12', schoolingDate: '2024-09-02',
        subjects: [{ disciplineRef: 'DI_1', teacherRefs: ['EN_1'], appraisal: 'Très bon trimestre & <sérieux>.' }, { disciplineRef: 'DI_2', teacherRefs: ['EN_1', 'EN_2'] }],
        hasGeneralAppraisal: true, hasVieScolaire: true, line: 0,
      },
      {
        kind: 'periodic', pupilRef: 'EL_2', periodRef: 'P_1', mainTeacherRefs: [],
        councilDate: '2024-12-13', schoolingDate: '2024-09-02',
        subjects: [{ disciplineRef: 'DI_2', teacherRefs: ['EN_2'] }],
        hasGeneralAppraisal: true, hasVieScolaire: false, line: 0,
      },
    ],
    cycle: [{ kind: 'cycle', pupilRef: 'EL_1', cycle: 4, millesime: 2024, mainTeacherRefs: ['EN_1'], line: 0 }],
  };
}
