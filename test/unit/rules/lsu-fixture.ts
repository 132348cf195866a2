// An LSU import built in memory: referentials + bilans, fed to the checker as the streaming reader would.
import type { LsuBilan, LsuCycleBilan, LsuHeader, LsuPeriodicBilan, LsuReferentials, SiecleEleves, StsStructureFile } from '../../../formats/types.js';
import { createLsuImportChecker, type LsuImportContext, type LsuImportReport } from '../../../rules/lsu-import.js';

export const UAI = '0740001Z';

export function refs(pupils: { idBe: string; division: string; lastName?: string; firstName?: string }[], teachers: { ref: string; idSts?: string; civility?: string; lastName: string }[]): LsuReferentials {
  return {
    pupils: new Map(pupils.map((p) => [`EL${p.idBe}`, { ref: `EL${p.idBe}`, idBe: p.idBe, lastName: p.lastName ?? `NOM${p.idBe}`, firstName: p.firstName ?? 'Prénom', division: p.division }])),
    periods: new Map([['P1', { ref: 'P1', millesime: 2022, index: 2, count: 3 }]]),
    disciplines: new Map([['DI1', { ref: 'DI1', code: '030201', modaliteElection: 'S', label: 'ANGLAIS LV1' }]]),
    teachers: new Map(teachers.map((t) => [t.ref, { type: 'epp', ...t }])),
  };
}

export function periodic(idBe: string, teacherRefs: string[] = ['ENS1'], over: Partial<LsuPeriodicBilan> = {}): LsuPeriodicBilan {
  return { kind: 'periodic', pupilRef: `EL${idBe}`, periodRef: 'P1', mainTeacherRefs: [], subjects: [{ disciplineRef: 'DI1', teacherRefs }], hasGeneralAppraisal: true, hasVieScolaire: true, councilDate: '2023-03-10', line: 1, ...over };
}

export function cycle(idBe: string, mainTeacherRefs: string[] = ['ENS1'], over: Partial<LsuCycleBilan> = {}): LsuCycleBilan {
  return { kind: 'cycle', pupilRef: `EL${idBe}`, cycle: 4, millesime: 2022, mainTeacherRefs, line: 1, ...over };
}

export function sts(teacherIds: string[], divisions: { code: string; subjects: string[] }[] = []): StsStructureFile {
  return {
    header: { kind: 'sts-edt', uai: UAI, millesime: 2022 },
    school: { uai: UAI },
    year: { millesime: 2022 },
    subjects: [],
    teachers: teacherIds.map((id) => ({ id, type: 'epp', lastName: `P${id}`, firstName: 'X', mainTeacherOf: [] })),
    divisions: divisions.map((d) => ({ code: d.code, mefs: [], services: d.subjects.map((s) => ({ subjectCode: s, teachers: [] })) })),
    groups: [],
  };
}

export function eleves(ids: { id: string; division: string; entryDate?: string; leavingDate?: string; mef?: string }[]): SiecleEleves {
  return {
    header: { kind: 'siecle-eleves', uai: UAI, millesime: 2022 },
    pupils: ids.map((p) => ({ eleveId: p.id, lastName: 'N', firstName: 'P', birthDate: '2009-01-01', divisions: [p.division], groups: [], ...p })),
  };
}

export const header: LsuHeader = { kind: 'lsu-bilans', uai: UAI, millesime: 2022, schemaVersion: '7.0', editor: 'MEN', applicationVersion: 'V1.0' };

export function run(context: Partial<LsuImportContext>, r: LsuReferentials, bilans: LsuBilan[], h: LsuHeader = header): LsuImportReport {
  const checker = createLsuImportChecker({ uai: UAI, on: '2023-03-13', file: 'import_lsu_20230313112226.xml', ...context });
  for (const b of bilans) checker.onBilan(b, r);
  return checker.finish(h);
}
