// What PRONOTE exports from a generated school when nothing is wrong: the élève-groupe links
// (PRONOTE → SIECLE) and the LSU bilans of a period (PRONOTE → LSU). Faults then alter these.
import type {
  EleGroupeFile, LsuBilansDocument, LsuCycleBilan, LsuDiscipline, LsuPeriodicBilan, LsuPupil, LsuTeacher,
} from '../formats/types.js';
import type { Pupil, SchoolModel, Service, Teacher } from './model.js';
import { SUBJECTS } from './nomenclature.js';
import { Random } from './random.js';

export const PRONOTE_LOGICIEL = 'PRONOTE';
/** The élève-groupe schema version PRONOTE writes since 2016 (SPEC-ELEGROUPE 16.5). */
export const ELEGROUPE_VERSION = '1.4';

/** PRONOTE exports every pupil who has at least one group, identified by ELEVE_ID, dates ISO. */
export function eleGroupeOf(model: Omit<SchoolModel, 'eleGroupe' | 'lsu'>): EleGroupeFile {
  const date = model.generatedAt.slice(0, 10);
  return {
    header: { kind: 'elegroupe', uai: model.uai, millesime: model.millesime, exportedAt: model.generatedAt, version: ELEGROUPE_VERSION },
    version: ELEGROUPE_VERSION,
    importDate: date,
    numEnvoi: 1,
    logiciel: PRONOTE_LOGICIEL,
    pupils: model.pupils
      .filter((p) => p.groups.length > 0)
      .map((p) => ({
        id: { kind: 'ELEVE_ID' as const, value: p.eleveId },
        lastName: p.lastName,
        firstName: p.firstName,
        ...(p.firstName2 !== undefined && { firstName2: p.firstName2 }),
        birthDate: p.birthDate,
        groups: p.groups.map((g) => ({ code: g.code, start: g.start, ...(g.end !== undefined && { end: g.end }) })),
      })),
  };
}

export const pupilRef = (eleveId: string): string => `EL${eleveId}`;
export const teacherRef = (id: string): string => `EN${id}`;
export const disciplineRef = (subject: string, modalite: string): string => `DI_${subject}_${modalite}`;

export function lsuTeacher(t: Pick<Teacher, 'id' | 'type' | 'civility' | 'lastName' | 'firstName'>): LsuTeacher {
  return { ref: teacherRef(t.id), idSts: t.id, type: t.type, civility: t.civility === 'M.' ? 'M' : 'MME', lastName: t.lastName, firstName: t.firstName };
}

export function lsuPupil(p: Pick<Pupil, 'eleveId' | 'lastName' | 'firstName' | 'division'>): LsuPupil {
  return { ref: pupilRef(p.eleveId), idBe: p.eleveId, lastName: p.lastName, firstName: p.firstName, division: p.division };
}

const APPRAISALS = [
  'Bon trimestre, des efforts réguliers.', 'Travail sérieux ; participation à développer.', 'Des résultats fragiles : il faut persévérer.',
  'Très bon investissement, félicitations.', "L'ensemble est satisfaisant.", 'Résultats moyens, attention au travail personnel.',
];

/** The LSU schema a PRONOTE of that year writes: 3.0 until 2020, 10.0 afterwards (formats/lsu-versions.ts). */
export function lsuSchemaVersionFor(millesime: number): string {
  return millesime <= 2020 ? '3.0' : '10.0';
}

/** Services a pupil follows: the division's and those of their current groups (half-class TP excluded: same subject). */
export function servicesOf(model: Pick<SchoolModel, 'services' | 'groups'>, pupil: Pupil, index = servicesIndex(model)): Service[] {
  const current = pupil.groups.filter((g) => g.end === undefined).map((g) => g.code);
  return [...(index.get(pupil.division) ?? []), ...current.flatMap((code) => index.get(code) ?? [])].filter((s) => s.courseMode !== 'TP');
}

export function servicesIndex(model: Pick<SchoolModel, 'services'>): Map<string, Service[]> {
  const index = new Map<string, Service[]>();
  for (const s of model.services) index.set(s.structure, [...(index.get(s.structure) ?? []), s]);
  return index;
}

/** Bilans are produced lazily so that a 100 MB file never sits in memory. */
export function* periodicBilans(model: SchoolModel, pupils: Pupil[], periodRef: string, seed: number): Generator<LsuPeriodicBilan> {
  const rng = new Random(seed);
  const index = servicesIndex(model);
  const period = model.calendar.periods[0]!;
  const pp = new Map(model.teachers.flatMap((t) => t.mainTeacherOf.map((d) => [d, t.id] as const)));
  for (const p of pupils) {
    const mainTeacher = pp.get(p.division);
    yield {
      kind: 'periodic',
      pupilRef: pupilRef(p.eleveId),
      periodRef,
      mainTeacherRefs: mainTeacher === undefined ? [] : [teacherRef(mainTeacher)],
      councilDate: period.end,
      schoolingDate: p.entryDate > period.start ? p.entryDate : period.start,
      lockDate: `${period.end}T18:00:00`,
      subjects: servicesOf(model, p, index).map((s) => ({
        disciplineRef: disciplineRef(s.subject, s.modalite),
        teacherRefs: s.teacherIds.map(teacherRef),
        appraisal: rng.pick(APPRAISALS),
      })),
      hasGeneralAppraisal: true,
      hasVieScolaire: true,
      generalAppraisal: rng.pick(APPRAISALS),
      vieScolaire: { lates: rng.int(0, 3), justifiedAbsences: rng.int(0, 6), unjustifiedAbsences: rng.int(0, 1), comment: 'Assiduité correcte.' },
      line: 0,
    };
  }
}

/** End-of-cycle bilans (cycle 4) of the pupils of 3e. */
export function* cycleBilans(model: SchoolModel, pupils: Pupil[], seed: number): Generator<LsuCycleBilan> {
  const rng = new Random(seed);
  const pp = new Map(model.teachers.flatMap((t) => t.mainTeacherOf.map((d) => [d, t.id] as const)));
  const third = new Set(model.divisions.filter((d) => d.level === 3).map((d) => d.code));
  for (const p of pupils) {
    if (!third.has(p.division)) continue;
    const mainTeacher = pp.get(p.division);
    yield {
      kind: 'cycle',
      pupilRef: pupilRef(p.eleveId),
      cycle: 4,
      millesime: model.millesime,
      mainTeacherRefs: mainTeacher === undefined ? [] : [teacherRef(mainTeacher)],
      creationDate: model.generatedAt.slice(0, 10),
      socle: ['CPD_FRA', 'CPD_ETR', 'CPD_SCI', 'CPD_ART', 'MET_APP', 'FRM_CIT', 'SYS_NAT', 'REP_MND'].map((code) => ({ code, positioning: rng.int(1, 4) })),
      synthesis: rng.pick(APPRAISALS),
      line: 0,
    };
  }
}

/** Pupils with a bilan for the first period: enrolled by its end and not gone. */
export function pupilsWithBilan(model: SchoolModel): Pupil[] {
  const period = model.calendar.periods[0]!;
  return model.pupils.filter((p) => p.leavingDate === undefined && p.entryDate <= period.end && p.mef !== undefined);
}

/** The LSU document of the first period, bilans materialised (a school's file is small). */
export function lsuOf(model: SchoolModel): LsuBilansDocument {
  const pupils = pupilsWithBilan(model);
  const period = model.calendar.periods[0]!;
  const disciplines = new Map<string, LsuDiscipline>();
  for (const s of model.services) {
    const ref = disciplineRef(s.subject, s.modalite);
    if (!disciplines.has(ref)) {
      disciplines.set(ref, { ref, code: s.subject, modaliteElection: s.modalite, label: SUBJECTS[s.subject]!.editionLabel.slice(0, 40) });
    }
  }
  const periodRef = 'P1';
  return {
    schemaVersion: lsuSchemaVersionFor(model.millesime),
    editor: 'Index Education',
    application: 'PRONOTE',
    applicationVersion: `${model.millesime}.0.2`,
    uai: model.uai,
    pupils: pupils.map(lsuPupil),
    periods: [{ ref: periodRef, millesime: model.millesime, index: period.index ?? 1, count: model.calendar.periods.length }],
    disciplines: [...disciplines.values()],
    teachers: model.teachers.map(lsuTeacher),
    periodic: [...periodicBilans(model, pupils, periodRef, model.seed)],
    cycle: [...cycleBilans(model, pupils, model.seed + 1)],
  };
}
