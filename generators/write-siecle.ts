// SIECLE / BEE exports: seven zips `ExportXML_<Name>.zip`, each holding one `<Name>.xml` in
// ISO-8859-15 with PARAMETRES {UAJ, ANNEE_SCOLAIRE, DATE_EXPORT, HORODATAGE} (export spec v17.4
// §2.1-2.3). Root names and blocks: real files for Nomenclature/Eleves/Responsables, the spec and
// third-party parsers for Structures and Communs (COMMUNS.md), ASSUMED for Etablissements and
// Geographique (BEE_ETABLISSEMENTS, BEE_GEOGRAPHIQUE: no real file found).
import { writeZip } from '../formats/archive.js';
import { schoolYearOfMillesime } from '../rules/calendar.js';
import type { SchoolModel } from './model.js';
import { COURSE_MODES, MEFS, MODALITES_ELECTION, SUBJECTS, TRONC_COMMUN } from './nomenclature.js';
import { BEE_ELEVES_VERSION, BEE_RESPONSABLES_VERSION, elevesDonnees, responsablesDonnees } from './siecle-eleves.js';
import { el, fr, frDateTime, latin9Document } from './xml-text.js';
import type { Node } from './xml-text.js';

export const SIECLE_EXPORTS = [
  'ElevesSansAdresses', 'ResponsablesAvecAdresses', 'Structures', 'Nomenclature', 'Communs', 'Etablissements', 'Geographique',
] as const;
export type SiecleExportName = (typeof SIECLE_EXPORTS)[number];

function parametres(model: SchoolModel): Node {
  const { uai, millesime } = model.stamps.siecle;
  return el('PARAMETRES', [
    el('UAJ', uai),
    el('ANNEE_SCOLAIRE', millesime),
    el('DATE_EXPORT', fr(model.generatedAt.slice(0, 10))),
    el('HORODATAGE', frDateTime(model.generatedAt)),
  ]);
}

function structures(model: SchoolModel): Node {
  return el('DONNEES', [
    el('DIVISIONS', model.divisions.map((d) => el('DIVISION', [
      el('LIBELLE_LONG', d.label),
      el('MEFS_APPARTENANCE', [el('MEF_APPARTENANCE', [el('CODE_MEF', d.mef)])]),
    ], { CODE_STRUCTURE: d.code }))),
    el('GROUPES', model.groups.map((g) => el('GROUPE', [
      el('LIBELLE_LONG', g.label.slice(0, 20)),
      el('DIVISIONS_APPARTENANCE', g.divisions.map((d) => el('DIVISION_APPARTENANCE', [el('CODE_STRUCTURE', d)]))),
      el('MEFS_APPARTENANCE', g.mefs.map((m) => el('MEF_APPARTENANCE', [el('CODE_MEF', m)]))),
    ], { CODE_STRUCTURE: g.code }))),
  ]);
}

function nomenclature(model: SchoolModel): Node {
  const programmes = new Map<string, Node>();
  for (const mef of model.mefs) {
    for (const [subject, hours] of TRONC_COMMUN[mef] ?? []) {
      programmes.set(`${mef}${subject}S`, el('PROGRAMME', [el('CODE_MEF', mef), el('CODE_MATIERE', subject), el('CODE_MODALITE_ELECT', 'S'), el('HORAIRE', hours.toFixed(2))]));
    }
  }
  for (const g of model.groups.filter((x) => x.purpose !== 'half-class')) {
    const modalite = g.purpose === 'option' ? 'F' : 'O';
    for (const mef of g.mefs) {
      programmes.set(`${mef}${g.subject}${modalite}`, el('PROGRAMME', [el('CODE_MEF', mef), el('CODE_MATIERE', g.subject), el('CODE_MODALITE_ELECT', modalite), el('HORAIRE', (g.purpose === 'specialite' ? 4 : 2.5).toFixed(2))]));
    }
  }
  return el('DONNEES', [
    el('MEFS', model.mefs.map((code) => {
      const m = MEFS[code]!;
      return el('MEF', [
        el('FORMATION', m.formation), el('LIBELLE_LONG', m.longLabel), el('LIBELLE_EDITION', m.editionLabel), el('STATUT_MEF', 1),
        el('MEF_RATTACHEMENT', code), el('CODE_MEFSTAT', m.mefstat), el('DATE_OUVERTURE', fr(m.opening)), el('DATE_FERMETURE', fr(m.closing)),
      ], { CODE_MEF: code });
    })),
    el('MATIERES', model.subjects.map((code) => {
      const s = SUBJECTS[code]!;
      return el('MATIERE', [el('CODE_GESTION', s.codeGestion), el('LIBELLE_COURT', s.shortLabel), el('LIBELLE_LONG', s.longLabel), el('LIBELLE_EDITION', s.editionLabel), el('MATIERE_ETP', 0)], { CODE_MATIERE: code });
    })),
    el('PROGRAMMES', [...programmes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, node]) => node)),
    el('MODALITES_ELECTION', MODALITES_ELECTION.map(([code, short, long]) => el('MODALITE_ELECTION', [el('LIBELLE_COURT', short), el('LIBELLE_LONG', long)], { CODE_MODALITE_ELECT: code }))),
    el('MODALITES_COURS', COURSE_MODES.map(([code, short, long]) => el('MODALITE_COURS', [el('LIBELLE_COURT', short), el('LIBELLE_LONG', long), el('CO_ENSEIGNEMENT', 1)], { CODE_MODALITE_COURS: code }))),
  ]);
}

function communs(model: SchoolModel): Node {
  const { calendar } = model;
  const previous = schoolYearOfMillesime('siecle', model.uai, model.millesime - 1);
  const [sigle, ...rest] = model.name.split(' ');
  return el('DONNEES', [
    el('UAJ', [el('ETAB_UAJ_ID', Number(model.uai.slice(1, 7)) % 100_000), el('DENOM_PRINC', sigle ?? model.name), el('DENOM_COMPL', rest.join(' ')), el('CODE_TYPE_ETAB', model.kind === 'college' ? 'CLG' : 'LYC')]),
    // DATE_DEBUT_ELEVE as Gepi reads real files (the spec table says DATE_DEB_ELEVE): COMMUNS.md.
    el('ANNEE_SCOLAIRE', [
      el('DATE_DEBUT_ELEVE', fr(calendar.start)), el('DATE_FIN_ELEVE', fr(calendar.end)),
      el('DATE_DEBUT_PROF', fr(calendar.teacherStart)), el('DATE_FIN_PROF', fr(calendar.teacherEnd)),
    ]),
    el('ANNEE_SCOLAIRE_AD', [el('DATE_DEBUT_ELEVE', fr(previous.start)), el('DATE_FIN_ELEVE', fr(previous.end))]),
    el('PERIODES', calendar.periods.map((p) => el('PERIODE', [
      el('CODE_PERIODE', p.code), el('DATE_DEBUT', fr(p.start)), el('DATE_FIN', fr(p.end)),
      el('LL_PERIODE', p.type === 'S' ? `${p.index === 1 ? '1er' : `${p.index ?? ''}e`} semestre` : `${p.index === 1 ? '1er' : `${p.index ?? ''}e`} trimestre`),
      el('INDICE', p.index ?? 1), el('CODE_TYPE_PERIODE', p.type ?? 'T'),
    ]))),
  ]);
}

function etablissements(model: SchoolModel): Node {
  const [sigle, ...rest] = model.name.split(' ');
  return el('DONNEES', [el('ETABLISSEMENTS', [
    el('ETABLISSEMENT', [el('SIGLE', model.kind === 'college' ? 'CLG' : 'LYC'), el('DENOM_PRINC', sigle ?? model.name), el('DENOM_COMPL', rest.join(' ')), el('CODE_NATURE', model.kind === 'college' ? 340 : 300)], { CODE_RNE: model.uai }),
  ])]);
}

function geographique(): Node {
  return el('DONNEES', [
    el('PAYS', [el('PAYS', [el('LIBELLE_COURT', 'FRANCE'), el('LIBELLE_LONG', 'FRANCE')], { CODE_PAYS: 100 })]),
  ]);
}

const ROOTS: Record<SiecleExportName, { root: string; version: string; donnees: (m: SchoolModel) => Node }> = {
  ElevesSansAdresses: { root: 'BEE_ELEVES', version: BEE_ELEVES_VERSION, donnees: elevesDonnees },
  ResponsablesAvecAdresses: { root: 'BEE_RESPONSABLES', version: BEE_RESPONSABLES_VERSION, donnees: responsablesDonnees },
  Structures: { root: 'BEE_STRUCTURES', version: '3.0', donnees: structures },
  Nomenclature: { root: 'BEE_NOMENCLATURES', version: '3.1', donnees: nomenclature },
  Communs: { root: 'BEE_COMMUN', version: '3.0', donnees: communs },
  Etablissements: { root: 'BEE_ETABLISSEMENTS', version: '3.0', donnees: etablissements },
  Geographique: { root: 'BEE_GEOGRAPHIQUE', version: '3.0', donnees: geographique },
};

/** The XML of one export (ISO-8859-15 bytes). */
export function siecleExportXml(model: SchoolModel, name: SiecleExportName): Buffer {
  const { root, version, donnees } = ROOTS[name];
  return latin9Document(el(root, [parametres(model), donnees(model)], { VERSION: version }));
}

/** The entry time of the zips: the export time, read as local time so the bytes do not depend on the zone. */
export function zipDate(model: SchoolModel): Date {
  return new Date(model.generatedAt);
}

/** The seven zips, `ExportXML_<Name>.zip` holding `<Name>.xml`. */
export function writeSiecleExports(model: SchoolModel): { name: string; data: Buffer }[] {
  return SIECLE_EXPORTS.map((name) => writeSiecleExport(model, name));
}

/** One export, as SIECLE's ExportXML_<Name>.zip. */
export function writeSiecleExport(model: SchoolModel, name: SiecleExportName): { name: string; data: Buffer } {
  return { name: `ExportXML_${name}.zip`, data: writeZip([{ name: `${name}.xml`, data: siecleExportXml(model, name) }], zipDate(model)) };
}
