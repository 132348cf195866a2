// What LSU's "synchronisation base élèves" would change (seed 003), computed from SIECLE's and
// STS-Web's exports against LSU's current state: the school (all but its UAI), class labels,
// pupils' administrative data, teachers, and the disciplines / teachers / professeur principal of
// bilans that are NOT locked. Locked bilans are never touched. Prerequisite: the periods of every
// class must be set, else the synchronisation is refused (Bloquant).
import type { SiecleCommuns, SiecleEleves, SieclePupil, SiecleStructures, StsStructureFile } from '../formats/types.js';
import type { Anomaly } from './anomaly.js';
import type { LsuBilanState, LsuState } from './lsu-state.js';

export interface BaseSyncContext {
  state: LsuState;
  eleves?: SiecleEleves;
  structures?: SiecleStructures;
  communs?: SiecleCommuns;
  sts?: StsStructureFile;
  /** Classes selected for the synchronisation; default: every class of LSU. */
  classes?: string[];
}

export type BaseSyncScope = 'etablissement' | 'classe' | 'eleve' | 'enseignant' | 'bilan';

export interface BaseSyncChange {
  scope: BaseSyncScope;
  /** UAI, class code, ELEVE_ID, STS id, or "ELEVE_ID|bilan key": never a name. */
  id: string;
  field: string;
  from?: string;
  to?: string;
}

export interface BaseSyncReport {
  ok: boolean;
  anomalies: Anomaly[];
  changes: BaseSyncChange[];
  /** Locked bilans left as they are, whatever SIECLE and STS-Web say. */
  lockedBilansKept: number;
  /** The lines of LSU's synthesis ("L'établissement a bien été mis à jour", …). */
  messages: string[];
}

function diff(changes: BaseSyncChange[], scope: BaseSyncScope, id: string, field: string, from: string | undefined, to: string | undefined): void {
  // SIECLE has no value for it (e.g. NUMEN is not in sts_emp): nothing to synchronise.
  if (to === undefined || (from ?? '') === to) return;
  changes.push({ scope, id, field, ...(from !== undefined && { from }), to });
}

const firstNames = (p: SieclePupil): string => [p.firstName, p.firstName2, p.firstName3].filter(Boolean).join(' ');
const sorted = (values: Iterable<string>): string => [...new Set(values)].sort().join(',');

/** Disciplines (subject → teachers) and professeurs principaux of a division, from STS-Web. */
function stsView(sts: StsStructureFile, division: string, groups: readonly string[]): { disciplines: Map<string, Set<string>>; main: string[] } {
  const disciplines = new Map<string, Set<string>>();
  const services = [...(sts.divisions.find((d) => d.code === division)?.services ?? []), ...sts.groups.filter((g) => groups.includes(g.code)).flatMap((g) => g.services)];
  for (const s of services) {
    const set = disciplines.get(s.subjectCode) ?? disciplines.set(s.subjectCode, new Set()).get(s.subjectCode)!;
    for (const t of s.teachers) set.add(t.id);
  }
  return { disciplines, main: sts.teachers.filter((t) => t.mainTeacherOf.includes(division)).map((t) => t.id) };
}

function bilanChanges(changes: BaseSyncChange[], b: LsuBilanState, pupil: SieclePupil, sts: StsStructureFile): void {
  const view = stsView(sts, pupil.divisions[0] ?? '', pupil.groups);
  const id = `${b.eleveId}|${b.kind === 'cycle' ? `C${b.cycle ?? ''}` : `P${b.period?.index ?? ''}`}`;
  if (b.disciplines) {
    diff(changes, 'bilan', id, 'disciplines', sorted(Object.keys(b.disciplines)), sorted(view.disciplines.keys()));
    for (const [code, teachers] of view.disciplines) {
      if (b.disciplines[code]) diff(changes, 'bilan', id, `enseignants ${code}`, sorted(b.disciplines[code]), sorted(teachers));
    }
  }
  if (b.mainTeachers) diff(changes, 'bilan', id, 'professeur principal', sorted(b.mainTeachers), sorted(view.main));
}

export function simulateBaseSync(ctx: BaseSyncContext): BaseSyncReport {
  const { state } = ctx;
  const selected = new Set(ctx.classes ?? state.classes.map((c) => c.code));
  const missingPeriods = state.classes.filter((c) => selected.has(c.code) && !c.periodsSet).map((c) => c.code);
  if (missingPeriods.length > 0) {
    return {
      ok: false,
      changes: [],
      lockedBilansKept: 0,
      messages: [],
      anomalies: [{
        code: 'LSU_SYNCHRO_PERIODES',
        level: 'blocking',
        label: 'Synchronisation base élèves',
        message: `Les périodes de chaque classe de l'établissement doivent avoir été préalablement paramétrées : ${missingPeriods.join(', ')}.`,
        correction: 'Paramétrer les périodes de ces classes dans LSU, puis relancer la synchronisation.',
      }],
    };
  }

  const changes: BaseSyncChange[] = [];
  const uai = state.uai ?? ctx.communs?.header.uai ?? '';
  if (ctx.communs?.school.name !== undefined) diff(changes, 'etablissement', uai, 'dénomination', state.school?.name, ctx.communs.school.name);

  const divisionLabels = new Map(ctx.structures?.divisions.map((d) => [d.code, d.label]) ?? []);
  for (const c of state.classes) if (selected.has(c.code)) diff(changes, 'classe', c.code, 'libellé', c.label, divisionLabels.get(c.code));

  const siecle = new Map(ctx.eleves?.pupils.map((p) => [p.eleveId, p]) ?? []);
  const updatedPupils: string[] = [];
  for (const lsu of state.pupils) {
    const p = siecle.get(lsu.eleveId);
    if (!p || !p.divisions.some((d) => selected.has(d))) continue;
    const before = changes.length;
    diff(changes, 'eleve', p.eleveId, 'nom', lsu.lastName, p.lastName);
    diff(changes, 'eleve', p.eleveId, 'prénoms', lsu.firstNames, firstNames(p));
    diff(changes, 'eleve', p.eleveId, 'date de naissance', lsu.birthDate, p.birthDate);
    diff(changes, 'eleve', p.eleveId, 'sexe', lsu.sex, p.sex);
    diff(changes, 'eleve', p.eleveId, 'INE', lsu.ine, p.ine);
    if (changes.length > before) updatedPupils.push(p.divisions[0] ?? '');
  }

  const teachers = new Map(ctx.sts?.teachers.map((t) => [t.id, t]) ?? []);
  for (const lsu of state.teachers) {
    const t = teachers.get(lsu.idSts);
    if (!t) continue;
    diff(changes, 'enseignant', t.id, 'civilité', lsu.civility, t.civility);
    diff(changes, 'enseignant', t.id, 'nom', lsu.lastName, t.lastName);
    diff(changes, 'enseignant', t.id, 'prénom', lsu.firstName, t.firstName);
    // NUMEN: not in sts_emp (ASSUMPTION: LSU takes it from SIECLE's services export, not simulated).
  }

  let lockedBilansKept = 0;
  for (const b of state.bilans) {
    const p = siecle.get(b.eleveId);
    if (!p || !p.divisions.some((d) => selected.has(d))) continue;
    if (b.locked) lockedBilansKept++;
    else if (ctx.sts) bilanChanges(changes, b, p, ctx.sts);
  }

  const messages = [
    ...(changes.some((c) => c.scope === 'etablissement') ? ["L'établissement a bien été mis à jour"] : []),
    ...updatedPupils.map((division) => `L'élève (${division}) a été mis à jour.`),
    'La synchronisation s\'est déroulée avec succès.',
  ];
  return { ok: true, anomalies: [], changes, lockedBilansKept, messages };
}
