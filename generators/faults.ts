// Fault injection: each fault makes one export disagree with the school on purpose, and says what
// the rules (and the real SIECLE / LSU) are expected to report, so that tests know the report.
import type { EleGroupePupil, IsoDate, LsuBilansDocument } from '../formats/types.js';
import { uaiCheckLetter } from '../formats/uai.js';
import { addDays } from '../rules/dates.js';
import type { SchoolModel } from './model.js';
import { BOYS_FIRST_NAMES, LAST_NAMES } from './names.js';
import { lsuPupil, lsuTeacher, periodicBilans } from './pronote-exports.js';
import type { Random } from './random.js';

export const FAULT_KINDS = [
  'unknown-group', 'date-outside-calendar', 'start-after-end', 'unknown-teacher', 'pupil-not-enrolled',
  'wrong-millesime', 'wrong-uai', 'duplicate-pupil', 'group-not-in-mef', 'pupil-without-mef',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which exchange file a fault lands in. */
export type FaultFile = 'elegroupe' | 'lsu' | 'sts-emp' | 'emp-sts' | 'siecle';

export interface FaultSpec {
  kind: FaultKind;
  /** For wrong-millesime, wrong-uai, pupil-not-enrolled: the file to spoil (default: élève-groupe). */
  file?: FaultFile;
}

export interface InjectedFault {
  kind: FaultKind;
  file: FaultFile;
  /** ELEVE_ID (or LSU id-be) of the pupil concerned: never a name. */
  eleveId?: string;
  group?: string;
  /** STS INDIVIDU/@ID (LSU id-sts). */
  teacherId?: string;
  /**
   * What the rules must report: a SIECLE code (GROUPE_A_01, ELEGRP_A_03, REJELEGROUPE_01…), a
   * deposit code of rules/deposit.ts (DEPOT_ANNEE, DEPOT_UAI), an LSU label ("Enseignant inconnu"), or
   * ours (UAI_DIFFERENT, MILLESIME_DIFFERENT) where no application has a message for it.
   */
  code: string;
  /** In French: what was done. */
  detail: string;
}

function groupedPupil(model: SchoolModel, rng: Random, taken: Set<string>, accept: (p: EleGroupePupil) => boolean = () => true): EleGroupePupil {
  const candidates = model.eleGroupe.pupils.filter((p) => !taken.has(p.id.value) && accept(p));
  const pupil = rng.pick(candidates);
  taken.add(pupil.id.value);
  return pupil;
}

/** An ELEVE_ID that SIECLE does not know (above every real one). */
function unknownEleveId(model: SchoolModel, rng: Random): string {
  return String(Math.max(...model.pupils.map((p) => Number(p.eleveId))) + rng.int(1000, 9000));
}

/** Another valid UAI of the same département. */
function otherUai(uai: string): string {
  const digits = String((Number(uai.slice(3, 7)) + 1) % 10_000).padStart(4, '0');
  const seven = `${uai.slice(0, 3)}${digits}`;
  return `${seven}${uaiCheckLetter(seven)}`;
}

function requireLsu(model: SchoolModel, kind: FaultKind): LsuBilansDocument {
  if (!model.lsu) throw new Error(`Défaut « ${kind} » : pas de fichier LSU pour un lycée (LSU concerne l'école et le collège).`);
  return model.lsu;
}

function outsideCalendar(model: SchoolModel, rng: Random, taken: Set<string>): InjectedFault[] {
  const { start, end } = model.calendar;
  const late = groupedPupil(model, rng, taken, (p) => p.groups.every((g) => g.end === undefined));
  const lateGroup = late.groups[0]!;
  lateGroup.end = addDays(end, 1);
  const early = groupedPupil(model, rng, taken);
  const earlyGroup = early.groups[0]!;
  earlyGroup.start = addDays(start, -1);
  return [
    { kind: 'date-outside-calendar', file: 'elegroupe', eleveId: late.id.value, group: lateGroup.code, code: 'ELEGRP_A_03', detail: `fin de groupe le ${lateGroup.end}, lendemain de DATE_FIN_ELEVE (${end}).` },
    { kind: 'date-outside-calendar', file: 'elegroupe', eleveId: early.id.value, group: earlyGroup.code, code: 'ELEGRP_A_02', detail: `début de groupe le ${earlyGroup.start}, veille de DATE_DEB_ELEVE (${start}).` },
  ];
}

function wrongStamp(model: SchoolModel, spec: FaultSpec, which: 'millesime' | 'uai'): InjectedFault {
  const file = spec.file ?? 'elegroupe';
  const change = <T extends { uai: string; millesime: number }>(stamp: T): void => {
    if (which === 'millesime') stamp.millesime += 1;
    else stamp.uai = otherUai(stamp.uai);
  };
  if (file === 'elegroupe') change(model.eleGroupe.header);
  else if (file === 'sts-emp') change(model.stamps.sts);
  else if (file === 'emp-sts') change(model.stamps.edt);
  else if (file === 'siecle') change(model.stamps.siecle);
  else {
    const lsu = requireLsu(model, spec.kind);
    if (which === 'millesime') for (const p of lsu.periods) p.millesime += 1;
    else lsu.uai = otherUai(lsu.uai);
  }
  const code = which === 'uai' ? (file === 'elegroupe' ? 'DEPOT_UAI' : 'UAI_DIFFERENT') : file === 'elegroupe' ? 'DEPOT_ANNEE' : file === 'lsu' ? 'Année scolaire incohérente' : 'MILLESIME_DIFFERENT';
  const detail = which === 'uai' ? "fichier marqué de l'UAI d'un autre établissement." : 'fichier marqué du millésime suivant.';
  return { kind: spec.kind, file, code, detail };
}

/** Applies one fault to the model (its exports, or SIECLE's truth for pupil-without-mef). */
export function injectFault(model: SchoolModel, spec: FaultSpec, rng: Random, taken: Set<string>): InjectedFault[] {
  switch (spec.kind) {
    case 'unknown-group': {
      // Seed 004's real case: PRONOTE's "MPERMANGR2" was never created in STS-Web, so SIECLE ignores it.
      const pupil = groupedPupil(model, rng, taken);
      const code = 'MPERMANGR2';
      pupil.groups.push({ code, start: model.calendar.start });
      return [{ kind: spec.kind, file: 'elegroupe', eleveId: pupil.id.value, group: code, code: 'GROUPE_A_01', detail: `groupe ${code} absent des structures SIECLE.` }];
    }
    case 'date-outside-calendar':
      return outsideCalendar(model, rng, taken);
    case 'start-after-end': {
      const pupil = groupedPupil(model, rng, taken, (p) => p.groups.every((g) => g.end === undefined));
      const g = pupil.groups[0]!;
      const day = (n: number): IsoDate => addDays(model.calendar.start, n);
      g.start = day(20);
      g.end = day(10);
      return [{ kind: spec.kind, file: 'elegroupe', eleveId: pupil.id.value, group: g.code, code: 'ELEGRP_A_01', detail: `début ${g.start} postérieur à la fin ${g.end}.` }];
    }
    case 'unknown-teacher': {
      const lsu = requireLsu(model, spec.kind);
      const id = String(Math.max(...model.teachers.map((t) => Number(t.id))) + rng.int(500, 5000));
      lsu.teachers.push(lsuTeacher({ id, type: 'epp', civility: 'MME', lastName: 'Remplaçante', firstName: 'Gaëlle' }));
      const bilan = rng.pick(lsu.periodic.filter((b) => b.subjects.length > 0 && !taken.has(b.pupilRef)));
      taken.add(bilan.pupilRef);
      bilan.subjects[0]!.teacherRefs = [`EN${id}`];
      const eleveId = lsu.pupils.find((p) => p.ref === bilan.pupilRef)!.idBe;
      return [{ kind: spec.kind, file: 'lsu', eleveId, teacherId: id, code: 'Enseignant inconnu', detail: `enseignant id-sts ${id} absent de STS-Web.` }];
    }
    case 'pupil-not-enrolled': {
      const eleveId = unknownEleveId(model, rng);
      const name = { lastName: rng.pick(LAST_NAMES), firstName: rng.pick(BOYS_FIRST_NAMES) };
      if (spec.file === 'lsu') {
        const lsu = requireLsu(model, spec.kind);
        const division = model.divisions[0]!;
        const ghost = { ...name, eleveId, division: division.code, groups: [], birthDate: '2008-01-01', sex: '1' as const, mef: division.mef, entryDate: model.calendar.start, ine: '', elenoet: '' };
        lsu.pupils.push(lsuPupil(ghost));
        lsu.periodic.push(...periodicBilans(model, [ghost], lsu.periods[0]!.ref, model.seed + 7));
        return [{ kind: spec.kind, file: 'lsu', eleveId, code: 'Élève non scolarisé', detail: `bilan d'un élève (id-be ${eleveId}) inconnu de SIECLE.` }];
      }
      const template = model.eleGroupe.pupils[0]!;
      model.eleGroupe.pupils.push({ id: { kind: 'ELEVE_ID', value: eleveId }, ...name, birthDate: template.birthDate, groups: template.groups.map((g) => ({ ...g })) });
      return [{ kind: spec.kind, file: 'elegroupe', eleveId, code: 'REJELEGROUPE_01', detail: `ELEVE_ID ${eleveId} inconnu de SIECLE.` }];
    }
    case 'wrong-millesime':
      return [wrongStamp(model, spec, 'millesime')];
    case 'wrong-uai':
      return [wrongStamp(model, spec, 'uai')];
    case 'duplicate-pupil': {
      // Twice the same ELEVE_ID breaks the schema's xs:unique (refused at deposit): PRONOTE's real
      // duplicates come under another identifier, here the INE, which SIECLE resolves to the same pupil.
      const pupil = groupedPupil(model, rng, taken);
      const ine = model.pupils.find((p) => p.eleveId === pupil.id.value)!.ine;
      const copy: EleGroupePupil = { ...pupil, id: { kind: 'ID_NATIONAL', value: ine }, groups: pupil.groups.map((g) => ({ ...g })) };
      model.eleGroupe.pupils.splice(model.eleGroupe.pupils.indexOf(pupil) + 1, 0, copy);
      return [{ kind: spec.kind, file: 'elegroupe', eleveId: pupil.id.value, code: 'REJELEGROUPE_03', detail: `élève présent deux fois (ELEVE_ID puis INE ${ine}).` }];
    }
    case 'group-not-in-mef': {
      const pupil = groupedPupil(model, rng, taken);
      const mef = model.pupils.find((p) => p.eleveId === pupil.id.value)!.mef;
      const foreign = model.groups.find((g) => !g.mefs.includes(mef ?? '') && !pupil.groups.some((m) => m.code === g.code))!;
      pupil.groups.push({ code: foreign.code, start: model.calendar.start });
      return [{ kind: spec.kind, file: 'elegroupe', eleveId: pupil.id.value, group: foreign.code, code: 'GROUPE_B_02', detail: `groupe ${foreign.code} rattaché à ${foreign.mefs.join(', ')}, pas au MEF ${mef ?? '?'} de l'élève.` }];
    }
    case 'pupil-without-mef': {
      const pupil = groupedPupil(model, rng, taken);
      const truth = model.pupils.find((p) => p.eleveId === pupil.id.value)!;
      delete truth.mef;
      if (model.lsu) {
        // PRONOTE cannot export an LSU bilan without a MEF: the pupil leaves the LSU file too.
        const ref = `EL${truth.eleveId}`;
        model.lsu.pupils = model.lsu.pupils.filter((p) => p.ref !== ref);
        model.lsu.periodic = model.lsu.periodic.filter((b) => b.pupilRef !== ref);
        model.lsu.cycle = model.lsu.cycle.filter((b) => b.pupilRef !== ref);
      }
      return [{ kind: spec.kind, file: 'siecle', eleveId: truth.eleveId, code: 'GROUPE_B_01', detail: "élève sans CODE_MEF dans l'export élèves SIECLE, avec des groupes dans le fichier élève-groupe." }];
    }
  }
}
