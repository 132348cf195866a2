// The checks LSU applies to ONE bilan of an import file, against SIECLE, STS-Web and what LSU
// already holds. Indexes are built once per file (LsuIndexes) so that a 100 MB file is checked in
// a single pass. Labels are those of LSU's rapport d'exécution (seeds 000-002).
import type {
  IsoDate, LsuBilan, LsuPeriod, LsuPupil, LsuReferentials, LsuTeacher, SiecleCommuns, SiecleEleves, SieclePeriod, SieclePupil, SiecleNomenclature,
  SiecleStructures, StsStructureFile,
} from '../formats/types.js';
import type { Anomaly, AnomalyLevel } from './anomaly.js';
import { authorisedPeriod, periodsOf, type CalendarOptions } from './calendar.js';
import { fill, LSU_EXPLANATIONS, LSU_LABELS, LSU_UNKNOWN_TEACHER, LSU_UNKNOWN_TEACHER_CYCLE, type LsuLabelKey } from './messages.js';
import { bilanKey, cycleKey, periodicKey, type LsuBilanState, type LsuClassMode, type LsuState } from './lsu-state.js';

/** ASSUMPTION: in a bilan de fin de cycle, "dispensé" (positionnement 0) is allowed for the foreign-language domain only. */
export const DISPENSABLE_DOMAINS = new Set(['CPD_ETR']);

export interface LsuReference {
  uai: string;
  /** SIECLE millésime of the year LSU works in (from the exports, else the calendar). */
  millesime: number;
  eleves?: SiecleEleves;
  structures?: SiecleStructures;
  communs?: SiecleCommuns;
  nomenclature?: SiecleNomenclature;
  sts?: StsStructureFile;
  state?: LsuState;
  calendar?: CalendarOptions;
  file: string;
}

export class LsuIndexes {
  readonly pupils?: Map<string, SieclePupil>;
  readonly divisions?: Set<string>;
  readonly stsTeachers?: Set<string>;
  /** Division → subject codes of its services and of the services of its groups (STS-Web). */
  readonly taught?: Map<string, Set<string>>;
  /** Division → STS ids of teachers with a service in it or in one of its groups, or its professeur principal. */
  readonly teaching?: Map<string, Set<string>>;
  /** MEF → subject codes of its programme (Nomenclature). */
  readonly programme?: Map<string, Set<string>>;
  readonly siecleYearPeriods: SieclePeriod[];
  readonly stateBilans = new Map<string, LsuBilanState>();
  readonly classModes = new Map<string, LsuClassMode>();
  readonly repeaters: Set<string>;
  private readonly periodAlerts = new Map<string, Anomaly[]>();

  constructor(readonly ref: LsuReference) {
    if (ref.eleves) this.pupils = new Map(ref.eleves.pupils.map((p) => [p.eleveId, p]));
    if (ref.structures) this.divisions = new Set(ref.structures.divisions.map((d) => d.code));
    else if (ref.eleves) this.divisions = new Set(ref.eleves.pupils.flatMap((p) => p.divisions));
    if (ref.sts) {
      this.stsTeachers = new Set(ref.sts.teachers.map((t) => t.id));
      const taught = new Map<string, Set<string>>(ref.sts.divisions.map((d) => [d.code, new Set(d.services.map((s) => s.subjectCode))]));
      for (const g of ref.sts.groups) for (const d of g.divisions) for (const s of g.services) taught.get(d)?.add(s.subjectCode);
      this.taught = taught;
      const teaching = new Map<string, Set<string>>(ref.sts.divisions.map((d) => [d.code, new Set(d.services.flatMap((s) => s.teachers.map((t) => t.id)))]));
      for (const g of ref.sts.groups) for (const d of g.divisions) for (const s of g.services) for (const t of s.teachers) teaching.get(d)?.add(t.id);
      for (const t of ref.sts.teachers) for (const d of t.mainTeacherOf) teaching.get(d)?.add(t.id);
      this.teaching = teaching;
    }
    if (ref.nomenclature) {
      const programme = new Map<string, Set<string>>();
      for (const p of ref.nomenclature.programmes) (programme.get(p.mef) ?? programme.set(p.mef, new Set()).get(p.mef)!).add(p.subject);
      this.programme = programme;
    }
    const year = authorisedPeriod(ref.uai, ref.millesime, { ...ref.calendar, ...(ref.communs && { communs: ref.communs }) });
    this.siecleYearPeriods = periodsOf(year, { ...ref.calendar, ...(ref.communs && { communs: ref.communs }) });
    for (const b of ref.state?.bilans ?? []) {
      const key = bilanKey(b);
      if (key) this.stateBilans.set(key, b);
    }
    for (const c of ref.state?.classes ?? []) this.classModes.set(c.code, c.mode);
    this.repeaters = new Set(ref.state?.repeaters ?? []);
  }

  /** Period consistency with SIECLE Commun (seed 001): an alert, computed once per period. */
  periodAlertsOf(period: LsuPeriod): Anomaly[] {
    let alerts = this.periodAlerts.get(period.ref);
    if (alerts) return alerts;
    const problems: string[] = [];
    if (period.millesime !== this.ref.millesime) problems.push(`millésime ${period.millesime} au lieu de ${this.ref.millesime}`);
    if (period.count !== this.siecleYearPeriods.length) problems.push(`${period.count} périodes au lieu de ${this.siecleYearPeriods.length}`);
    if (period.index < 1 || period.index > this.siecleYearPeriods.length) problems.push(`période ${period.index} inexistante dans SIECLE`);
    alerts = problems.length === 0 ? [] : [lsuAnomaly('PERIODE_INCOHERENTE', 'warning', `La période ${period.index}/${period.count} (${period.millesime}) du fichier ne correspond pas aux périodes de SIECLE : ${problems.join(', ')}.`, {})];
    this.periodAlerts.set(period.ref, alerts);
    return alerts;
  }

  /** Dates of a period of the file, taken from SIECLE's period of the same rank when it exists. */
  periodDates(period: LsuPeriod): { start: IsoDate; end: IsoDate } | undefined {
    const siecle = this.siecleYearPeriods.find((p) => p.index === period.index) ?? this.siecleYearPeriods[period.index - 1];
    return period.millesime === this.ref.millesime && period.count === this.siecleYearPeriods.length ? siecle : undefined;
  }
}

export function lsuAnomaly(key: LsuLabelKey, level: AnomalyLevel, message: string, subject: Anomaly['subject']): Anomaly {
  return { code: `LSU_${key}`, level, label: LSU_LABELS[key], message, subject, ...LSU_EXPLANATIONS[key] };
}

function teacherName(t: LsuTeacher | undefined, ref: string): string {
  return t ? `${t.civility ?? ''} ${t.lastName}`.trim() : ref;
}

function pupilName(p: LsuPupil | undefined): string {
  return p ? `${p.lastName} ${p.firstName}`.trim() : '';
}

/** Every anomaly of one bilan, in the order LSU would list them. */
export function checkBilan(b: LsuBilan, refs: LsuReferentials, ix: LsuIndexes): Anomaly[] {
  const out: Anomaly[] = [];
  const lsuPupil = refs.pupils.get(b.pupilRef);
  const eleveId = lsuPupil?.idBe ?? b.pupilRef;
  const division = lsuPupil?.division ?? '';
  const subject = { pupilId: eleveId, division, file: ix.ref.file, line: b.line };
  const add = (key: LsuLabelKey, level: AnomalyLevel, message: string, extra: Anomaly['subject'] = {}): void =>
    void out.push(lsuAnomaly(key, level, message, { ...subject, ...extra }));

  const siecle = ix.pupils?.get(eleveId);
  const period = b.kind === 'periodic' ? refs.periods.get(b.periodRef) : undefined;
  if (ix.pupils && !siecle) add('ELEVE_NON_SCOLARISE', 'error', `L'élève (identifiant ${eleveId}, classe ${division}) n'est pas scolarisé dans l'établissement selon SIECLE.`);
  else if (siecle && period) {
    const dates = ix.periodDates(period);
    const out_ = dates && ((siecle.entryDate !== undefined && siecle.entryDate > dates.end) || (siecle.leavingDate !== undefined && siecle.leavingDate < dates.start));
    if (out_) add('ELEVE_NON_SCOLARISE', 'error', `L'élève (identifiant ${eleveId}, classe ${division}) n'est pas scolarisé sur la période ${period.index}/${period.count} selon SIECLE.`);
  }
  if (ix.divisions && lsuPupil && !ix.divisions.has(division)) add('CLASSE_NON_TROUVEE', 'error', `La classe « ${division} » n'existe pas dans SIECLE.`);

  const mode = ix.classModes.get(division) ?? 'Import Éditeurs';
  if (mode === 'Saisie directe') add('PARAMETRAGE_CLASSE', 'error', `La classe « ${division} » n'est pas paramétrée en « Import Éditeurs » ni en « Import Sconet Notes » : ses bilans ne peuvent pas être importés.`);

  if (b.kind === 'periodic') {
    if (period) out.push(...ix.periodAlertsOf(period).map((a) => ({ ...a, subject })));
    const teachers = new Set<string>(b.mainTeacherRefs);
    for (const s of b.subjects) {
      const discipline = refs.disciplines.get(s.disciplineRef);
      if (s.teacherRefs.length === 0) add('ENSEIGNANT_MANQUANT', 'warning', `Aucun enseignant pour la discipline « ${discipline?.label ?? s.disciplineRef} ».`);
      for (const t of s.teacherRefs) teachers.add(t);
      if (discipline && ix.taught?.has(division) && !ix.taught.get(division)!.has(discipline.code)) {
        add('DISCIPLINES_NON_ENSEIGNEES', 'warning', `La discipline « ${discipline.label} » (${discipline.code}) n'est pas enseignée dans la classe « ${division} » selon STS-Web.`);
      }
      const programme = siecle?.mef ? ix.programme?.get(siecle.mef) : undefined;
      if (discipline && programme && programme.size > 0 && !programme.has(discipline.code)) {
        add('HORS_PROGRAMME', 'warning', `La discipline « ${discipline.label} » (${discipline.code}) est hors programme pour le MEF ${siecle?.mef ?? ''}.`);
      }
    }
    if (ix.stsTeachers) {
      for (const ref of teachers) {
        const t = refs.teachers.get(ref);
        if (t?.idSts && ix.stsTeachers.has(t.idSts)) {
          // Seed 001: a teacher without services is imported with the alert "ces enseignants ne peuvent consulter le bilan de l'élève dans LSU".
          const teaching = ix.teaching?.get(division);
          if (teaching && !teaching.has(t.idSts)) add('ENSEIGNANT_SANS_SERVICE', 'warning', `L'enseignant ${teacherName(t, ref)} n'a pas de service dans la classe « ${division} » : ces enseignants ne peuvent consulter le bilan de l'élève dans LSU.`, { teacherId: t.idSts });
          continue;
        }
        add('ENSEIGNANT_INCONNU', 'warning', fill(LSU_UNKNOWN_TEACHER, teacherName(t, ref)), t?.idSts ? { teacherId: t.idSts } : {});
      }
    }
    if (period && b.councilDate) {
      const year = authorisedPeriod(ix.ref.uai, period.millesime, ix.ref.calendar);
      if (b.councilDate < year.start || b.councilDate > year.end) add('ANNEE_INCOHERENTE', 'error', `Le conseil de classe du ${b.councilDate.split('-').reverse().join('/')} n'est pas dans l'année scolaire ${period.millesime}-${period.millesime + 1}.`);
    }
    const existing = period ? ix.stateBilans.get(periodicKey(eleveId, period)) : undefined;
    stateRules(b.kind, existing, mode, eleveId, ix, add, b.hasGeneralAppraisal, b.hasVieScolaire);
  } else {
    if (b.millesime !== ix.ref.millesime) add('ANNEE_INCOHERENTE', 'error', `Le bilan de fin de cycle ${b.cycle} porte le millésime ${b.millesime} ; l'année en cours est ${ix.ref.millesime}.`);
    if (ix.stsTeachers) {
      for (const ref of new Set(b.mainTeacherRefs)) {
        const t = refs.teachers.get(ref);
        if (t?.idSts && ix.stsTeachers.has(t.idSts)) continue;
        add('ENSEIGNANT_INCONNU', 'warning', fill(LSU_UNKNOWN_TEACHER_CYCLE, teacherName(t, ref), b.cycle, pupilName(lsuPupil), division), t?.idSts ? { teacherId: t.idSts } : {});
      }
    }
    for (const d of b.socle ?? []) {
      if (d.positioning === 0 && !DISPENSABLE_DOMAINS.has(d.code)) add('DISPENSES_NON_AUTORISEES', 'error', `Dispense non autorisée pour le domaine ${d.code} du socle.`);
    }
    stateRules(b.kind, ix.stateBilans.get(cycleKey(eleveId, b.cycle)), mode, eleveId, ix, add, false, false);
  }
  return out;
}

type Add = (key: LsuLabelKey, level: AnomalyLevel, message: string) => void;

/** Visa, "annule et remplace" and the Sconet Notes rules (seeds 000, 001). */
function stateRules(kind: LsuBilan['kind'], existing: LsuBilanState | undefined, mode: LsuClassMode, eleveId: string, ix: LsuIndexes, add: Add, appraisal: boolean, vieScolaire: boolean): void {
  if (mode === 'Import Sconet Notes' && kind === 'cycle') {
    add('SCONET_NOTES', 'error', "Classe en « Import Sconet Notes » : l'import ne peut pas contenir de bilan de fin de cycle.");
  }
  if (!existing) return;
  if (existing.visa && !(kind === 'cycle' && ix.repeaters.has(eleveId))) {
    add('BILAN_VISE', 'error', 'Ce bilan a été visé par un représentant légal sur le service en ligne : il ne peut plus être réimporté.');
    return;
  }
  if (mode === 'Import Sconet Notes' && kind === 'periodic') {
    if (appraisal && existing.generalAppraisal === 'typed') {
      add('SCONET_NOTES', 'error', "L'appréciation générale a été saisie dans LSU : le bilan périodique est rejeté.");
      return;
    }
    if (existing.vieScolaire === 'typed') {
      add('SCONET_NOTES', 'info', vieScolaire ? 'Les données de vie scolaire saisies dans LSU sont supprimées (le fichier en contient).' : 'Les données de vie scolaire saisies dans LSU sont conservées (le fichier n\'en contient pas).');
    }
  }
  if (existing.source === 'import' || existing.locked) add('ANNULE_ET_REMPLACE', 'info', 'Bilan déjà importé : il est remplacé (annule et remplace).');
}
