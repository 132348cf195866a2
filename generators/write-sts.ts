// STS-Web → EDT (`sts_emp_<UAI>_<ANNEE>.xml`, root STS_EDT) and EDT → STS-Web
// (`emp_sts_<UAI>_<ANNEE>.xml`, root EDT_STS): written exactly as DTD_STS_EDT.dtd and
// DTD_EDT_STS.dtd describe them (formats/dtd/; test/unit/generators/sts-dtd.test.ts validates both
// with xmllint --dtdvalid and with formats/dtd.ts). The two trees differ: sts_emp carries UAI and
// year as ATTRIBUTES and the teachers' names; emp_sts carries them as TEXT, INDIVIDU @ID only, and
// each teacher's weekly courses under the service. Dates YYYY-MM-DD (pyKol reads sts_emp's as ISO).
// ASSUMED (formats/ASSUMPTIONS.md EMP-7; the DTDs do not say): the formats of HORAIRE DEBUT_COURS/FIN_COURS ("0800", like
// COURS/HEURE_DEBUT "1500"), of ALTERNANCE codes, and of ANNEE_SCOLAIRE's text in emp_sts ("2018").
import type { SchoolModel, Service, Teacher } from './model.js';
import { SUBJECTS } from './nomenclature.js';
import { el, latin9Document, opt } from './xml-text.js';
import type { Node } from './xml-text.js';

export const EDT_APPLICATION_SOURCE = 'EDT 2017';

function uajNode(model: SchoolModel, uai: string): Node {
  const [sigle, ...rest] = model.name.split(' ');
  return el('UAJ', [
    el('ACADEMIE', [el('CODE', model.academie.code), el('LIBELLE', model.academie.label)]),
    el('SIGLE', model.kind === 'college' ? 'CLG' : 'LYC'),
    el('DENOM_PRINC', sigle ?? model.name),
    el('DENOM_COMPL', rest.join(' ')),
    el('CODE_NATURE', model.kind === 'college' ? '340' : '300'),
  ], { CODE: uai });
}

function servicesNode(services: Service[], teachers: Map<string, Teacher>): Node {
  return el('SERVICES', services.map((s) => el('SERVICE', [
    el('ENSEIGNANTS', s.teacherIds.map((id) => el('ENSEIGNANT', undefined, { ID: id, TYPE: teachers.get(id)?.type ?? 'epp' }))),
  ], { CODE_MATIERE: s.subject, CODE_MOD_COURS: s.courseMode })));
}

function individuNode(t: Teacher): Node {
  return el('INDIVIDU', [
    el('SEXE', t.sex),
    el('CIVILITE', t.civility === 'M.' ? 1 : 2),
    el('NOM_USAGE', t.lastName.toUpperCase()),
    el('NOM_PATRONYMIQUE', t.lastName.toUpperCase()),
    el('PRENOM', t.firstName),
    el('DATE_NAISSANCE', t.birthDate),
    // FONCTION: "non renseigné pour un type local" (SACoche).
    t.type === 'local' ? undefined : el('FONCTION', 'ENS'),
    t.mainTeacherOf.length === 0 ? undefined : el('PROFS_PRINC', t.mainTeacherOf.map((d) => el('PROF_PRINC', [el('CODE_STRUCTURE', d)]))),
  ], { ID: t.id, TYPE: t.type });
}

function structureNode(model: SchoolModel): Node {
  const teachers = new Map(model.teachers.map((t) => [t.id, t]));
  const byStructure = new Map<string, Service[]>();
  for (const s of model.services) byStructure.set(s.structure, [...(byStructure.get(s.structure) ?? []), s]);
  const countOf = new Map<string, number>();
  for (const p of model.pupils) {
    countOf.set(p.division, (countOf.get(p.division) ?? 0) + 1);
    for (const g of p.groups) countOf.set(g.code, (countOf.get(g.code) ?? 0) + 1);
  }
  return el('STRUCTURE', [
    el('DIVISIONS', model.divisions.map((d) => el('DIVISION', [
      el('LIBELLE_LONG', d.label),
      el('EFFECTIF_PREVU', countOf.get(d.code) ?? 0),
      el('MEFS_APPARTENANCE', [el('MEF_APPARTENANCE', [el('EFFECTIF_PREVU', countOf.get(d.code) ?? 0)], { CODE: d.mef })]),
      servicesNode(byStructure.get(d.code) ?? [], teachers),
    ], { CODE: d.code }))),
    el('GROUPES', model.groups.map((g) => el('GROUPE', [
      el('LIBELLE_LONG', g.label),
      el('EFFECTIF_PREVU', countOf.get(g.code) ?? 0),
      el('DIVISIONS_APPARTENANCE', g.divisions.map((d) => el('DIVISION_APPARTENANCE', undefined, { CODE: d }))),
      el('MEFS_APPARTENANCE', g.mefs.map((m) => el('MEF_APPARTENANCE', undefined, { CODE: m }))),
      servicesNode(byStructure.get(g.code) ?? [], teachers),
    ], { CODE: g.code }))),
  ]);
}

function parametres(model: SchoolModel, stamp: { uai: string; millesime: number }): Node {
  return el('PARAMETRES', [
    uajNode(model, stamp.uai),
    el('ANNEE_SCOLAIRE', [el('DATE_DEBUT', model.calendar.teacherStart), el('DATE_FIN', model.calendar.teacherEnd)], { ANNEE: stamp.millesime }),
  ]);
}

export function stsEmpFileName(model: SchoolModel): string {
  return `sts_emp_${model.stamps.sts.uai}_${model.stamps.sts.millesime}.xml`;
}

export function empStsFileName(model: SchoolModel): string {
  return `emp_sts_${model.stamps.edt.uai}_${model.stamps.edt.millesime}.xml`;
}

/** sts_emp: STS-Web's export for the timetable software (step 1 of the chain). */
export function writeStsEmp(model: SchoolModel): { name: string; data: Buffer } {
  const root = el('STS_EDT', [
    parametres(model, model.stamps.sts),
    el('NOMENCLATURES', [
      el('MATIERES', model.subjects.map((code) => {
        const s = SUBJECTS[code]!;
        return el('MATIERE', [el('CODE_GESTION', s.codeGestion), el('LIBELLE_COURT', s.shortLabel), el('LIBELLE_LONG', s.longLabel), el('LIBELLE_EDITION', s.editionLabel)], { CODE: code });
      })),
    ]),
    el('DONNEES', [el('INDIVIDUS', model.teachers.map(individuNode)), structureNode(model)]),
  ]);
  return { name: stsEmpFileName(model), data: latin9Document(root) };
}

// ---------------------------------------------------------------------------------------------
// emp_sts (DTD_EDT_STS.dtd)

/** Hourly slots of the generated timetable, Monday (1) to Friday (5). */
const DAYS = [1, 2, 3, 4, 5];
const SLOTS = ['0800', '0900', '1000', '1100', '1330', '1430', '1530', '1630'];
const SLOT_END: Record<string, string> = { '0800': '0855', '0900': '0955', '1000': '1055', '1100': '1155', '1330': '1425', '1430': '1525', '1530': '1625', '1630': '1725' };
const ROOMS = Array.from({ length: 12 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
export const EMP_STS_WEEKLY_ALTERNATION = 'H';

/** The Mondays of the school year (ALTERNANCE/SEMAINES/DATE_DEBUT_SEMAINE, YYYY-MM-DD). */
function mondays(start: string, end: string): string[] {
  const out: string[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  for (; d.toISOString().slice(0, 10) <= end; d.setUTCDate(d.getUTCDate() + 7)) out.push(d.toISOString().slice(0, 10));
  return out;
}

function empStsDonnees(model: SchoolModel): Node {
  const byStructure = new Map<string, Service[]>();
  for (const s of model.services) byStructure.set(s.structure, [...(byStructure.get(s.structure) ?? []), s]);
  let slot = 0; // deterministic placement: every course takes the next free (day, hour, room)
  const services = (code: string): Node => el('SERVICES', (byStructure.get(code) ?? []).map((s) => el('SERVICE', [
    el('ENSEIGNANTS', s.teacherIds.map((id) => {
      const type = model.teachers.find((t) => t.id === id)?.type;
      const courses = Array.from({ length: Math.max(1, Math.round(s.hours)) }, () => {
        const at = slot++;
        return el('COURS', [
          el('CODE_ALTERNANCE', EMP_STS_WEEKLY_ALTERNATION),
          el('JOUR', DAYS[at % DAYS.length]),
          el('HEURE_DEBUT', SLOTS[Math.floor(at / DAYS.length) % SLOTS.length]),
          el('DUREE', '0100'),
          el('CODE_SALLE', ROOMS[at % ROOMS.length]),
        ]);
      });
      return el('ENSEIGNANT', [el('COURS_RATTACHES', courses)], { ID: id, ...(type && { TYPE: type }) });
    })),
  ], { CODE_MATIERE: s.subject, CODE_MOD_COURS: s.courseMode })));
  const perDivision = new Map<string, Map<string, number>>();
  for (const p of model.pupils) {
    for (const g of p.groups) {
      const m = perDivision.get(g.code) ?? new Map<string, number>();
      m.set(p.division, (m.get(p.division) ?? 0) + 1);
      perDivision.set(g.code, m);
    }
  }
  return el('DONNEES', [
    el('HORAIRES', DAYS.flatMap((day) => SLOTS.map((start) => el('HORAIRE', [el('DEBUT_COURS', start), el('FIN_COURS', SLOT_END[start])], { JOUR: day })))),
    el('ALTERNANCES', [el('ALTERNANCE', [
      el('LIBELLE_COURT', 'Hebdo'), el('LIBELLE_LONG', 'Toutes les semaines'),
      el('SEMAINES', mondays(model.calendar.start, model.calendar.end).map((w) => el('DATE_DEBUT_SEMAINE', w))),
    ], { CODE: EMP_STS_WEEKLY_ALTERNATION })]),
    el('SALLES_COURS', ROOMS.map((code) => el('SALLE_COURS', [el('LOCALISATION', 'Bâtiment A')], { CODE: code }))),
    el('INDIVIDUS', model.teachers.map((t) => el('INDIVIDU', undefined, { ID: t.id }))),
    el('STRUCTURE', [
      el('DIVISIONS', model.divisions.map((d) => el('DIVISION', [services(d.code)], { CODE: d.code }))),
      el('GROUPES', model.groups.map((g) => {
        const counts = perDivision.get(g.code);
        return el('GROUPE', [
          el('LIBELLE_LONG', g.label),
          el('EFFECTIF_PREVU', [...(counts?.values() ?? [])].reduce((a, b) => a + b, 0)),
          el('DIVISIONS_APPARTENANCE', g.divisions.map((d) => el('DIVISION_APPARTENANCE', [el('EFFECTIF_PREVU', counts?.get(d) ?? 0)], { CODE: d }))),
          services(g.code),
        ], { CODE: g.code });
      })),
    ]),
  ]);
}

/**
 * emp_sts: EDT's export of services and groups back to STS-Web (step 3 of the chain). With
 * `withYear: false`, PARAMETRES has no ANNEE_SCOLAIRE (optional in the DTD; the file name says it).
 */
export function writeEmpSts(model: SchoolModel, options: { applicationSource?: string; withYear?: boolean } = {}): { name: string; data: Buffer } {
  const stamp = model.stamps.edt;
  const root = el('EDT_STS', [
    el('PARAMETRES', [
      el('UAJ', stamp.uai),
      options.withYear === false ? undefined : el('ANNEE_SCOLAIRE', stamp.millesime),
      opt('APPLICATION_SOURCE', options.applicationSource ?? EDT_APPLICATION_SOURCE),
    ]),
    empStsDonnees(model),
  ]);
  return { name: empStsFileName(model), data: latin9Document(root) };
}
