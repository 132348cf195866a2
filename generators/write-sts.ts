// STS-Web → EDT (`sts_emp_<UAI>_<ANNEE>.xml`, root STS_EDT) and EDT → STS-Web
// (`emp_sts_<UAI>_<ANNEE>.xml`, root EDT_STS with PARAMETRES/APPLICATION_SOURCE). No real file was
// ever found: the tree follows formats/README.md §1 (three parsers of real files). UAI and year are
// ATTRIBUTES here. Assumed: DATE_DEBUT/DATE_FIN written JJ/MM/AAAA like the BEE files.
import type { SchoolModel, Service, Teacher } from './model.js';
import { SUBJECTS } from './nomenclature.js';
import { el, fr, frDateTime, latin9Document, opt } from './xml-text.js';
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

function parametres(model: SchoolModel, stamp: { uai: string; millesime: number }, applicationSource?: string): Node {
  return el('PARAMETRES', [
    uajNode(model, stamp.uai),
    el('ANNEE_SCOLAIRE', [el('DATE_DEBUT', fr(model.calendar.teacherStart)), el('DATE_FIN', fr(model.calendar.teacherEnd))], { ANNEE: stamp.millesime }),
    el('HORODATAGE', frDateTime(model.generatedAt)),
    opt('APPLICATION_SOURCE', applicationSource),
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

/** emp_sts: EDT's export of services and groups back to STS-Web (step 3 of the chain). */
export function writeEmpSts(model: SchoolModel, applicationSource = EDT_APPLICATION_SOURCE): { name: string; data: Buffer } {
  const root = el('EDT_STS', [
    parametres(model, model.stamps.edt, applicationSource),
    el('DONNEES', [el('INDIVIDUS', model.teachers.map(individuNode)), structureNode(model)]),
  ]);
  return { name: empStsFileName(model), data: latin9Document(root) };
}
