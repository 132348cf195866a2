// From the attributes of an lsun-bilans element to our types: shared by the streaming reader
// (saxes) and the whole-document parse (fast-xml-parser) so that both return the same data.
import type { LsuCycleBilan, LsuDiscipline, LsuPeriod, LsuPeriodicBilan, LsuPupil, LsuReferentials, LsuTeacher } from './types.js';

export type Attrs = Record<string, string | undefined>;

const refs = (value: string | undefined): string[] => (value ?? '').split(/\s+/).filter((r) => r !== '');
const int = (value: string | undefined): number => (value !== undefined && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN);

export function emptyReferentials(): LsuReferentials {
  return { pupils: new Map(), periods: new Map(), disciplines: new Map(), teachers: new Map() };
}

export function lsuPupil(a: Attrs): LsuPupil {
  return { ref: a.id ?? '', idBe: a['id-be'] ?? '', lastName: a.nom ?? '', firstName: a.prenom ?? '', division: a['code-division'] ?? '' };
}

export function lsuPeriod(a: Attrs): LsuPeriod {
  return { ref: a.id ?? '', millesime: int(a.millesime), index: int(a.indice), count: int(a['nb-periodes']) };
}

export function lsuDiscipline(a: Attrs): LsuDiscipline {
  const d: LsuDiscipline = { ref: a.id ?? '', code: a.code ?? '', modaliteElection: a['modalite-election'] ?? '', label: a.libelle ?? '' };
  if (a['code-national'] !== undefined) d.nationalCode = a['code-national'];
  return d;
}

export function lsuTeacher(a: Attrs): LsuTeacher {
  const t: LsuTeacher = { ref: a.id ?? '', type: a.type ?? '', lastName: a.nom ?? '' };
  if (a['id-sts'] !== undefined && a['id-sts'] !== '') t.idSts = a['id-sts'];
  if (a.civilite !== undefined) t.civility = a.civilite;
  if (a.prenom !== undefined) t.firstName = a.prenom;
  return t;
}

/** A bilan-periodique from its attributes; subjects and flags are filled while reading its children. */
export function lsuPeriodicBilan(a: Attrs, line: number): LsuPeriodicBilan {
  const b: LsuPeriodicBilan = {
    kind: 'periodic', pupilRef: a['eleve-ref'] ?? '', periodRef: a['periode-ref'] ?? '', mainTeacherRefs: refs(a['prof-princ-refs']),
    subjects: [], hasGeneralAppraisal: false, hasVieScolaire: false, line,
  };
  if (a['date-conseil-classe'] !== undefined) b.councilDate = a['date-conseil-classe'];
  if (a['date-scolarite'] !== undefined) b.schoolingDate = a['date-scolarite'];
  if (a['date-verrou'] !== undefined) b.lockDate = a['date-verrou'];
  return b;
}

export function lsuSubject(a: Attrs): LsuPeriodicBilan['subjects'][number] {
  return { disciplineRef: a['discipline-ref'] ?? '', teacherRefs: refs(a['enseignant-refs']) };
}

export function lsuVieScolaire(a: Attrs): NonNullable<LsuPeriodicBilan['vieScolaire']> {
  const v: NonNullable<LsuPeriodicBilan['vieScolaire']> = {
    lates: int(a['nb-retards']), justifiedAbsences: int(a['nb-abs-justifiees']), unjustifiedAbsences: int(a['nb-abs-injustifiees']),
  };
  if (a['nb-heures-manquees'] !== undefined) v.missedHours = int(a['nb-heures-manquees']);
  return v;
}

/** "Carries something": a comment or a non-zero counter (what LSU's Sconet Notes mode looks at). */
export function vieScolaireHasContent(v: NonNullable<LsuPeriodicBilan['vieScolaire']>): boolean {
  return (v.comment?.trim() ?? '') !== '' || [v.lates, v.justifiedAbsences, v.unjustifiedAbsences, v.missedHours ?? 0].some((n) => n > 0);
}

export function lsuCycleBilan(a: Attrs, line: number): LsuCycleBilan {
  const b: LsuCycleBilan = {
    kind: 'cycle', pupilRef: a['eleve-ref'] ?? '', cycle: int(a.cycle), millesime: int(a.millesime), mainTeacherRefs: refs(a['prof-princ-refs']), line,
  };
  if (a['date-creation'] !== undefined) b.creationDate = a['date-creation'];
  return b;
}
