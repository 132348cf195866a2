// SIECLE's pupils and responsables exports (BEE_ELEVES, BEE_RESPONSABLES), shapes from the real
// dossiersco fixtures and the export spec v17.4 §8 (formats/README.md §2).
import type { Pupil, SchoolModel } from './model.js';
import { el, fr, opt } from './xml-text.js';
import type { Node } from './xml-text.js';

export const BEE_ELEVES_VERSION = '3.0';
export const BEE_RESPONSABLES_VERSION = '2.1';

function eleveNode(model: SchoolModel, p: Pupil): Node {
  return el('ELEVE', [
    el('ID_NATIONAL', p.ine),
    el('ELENOET', p.elenoet),
    // ELENOET + the UAI without its first and last character (real "03275660864" for 0660864F).
    el('ID_ELEVE_ETAB', `${p.elenoet}${model.uai.slice(1, 7)}`),
    el('NOM_DE_FAMILLE', p.lastName.toUpperCase()),
    el('PRENOM', p.firstName),
    opt('PRENOM2', p.firstName2),
    el('DATE_NAISS', fr(p.birthDate)),
    el('DOUBLEMENT', 0),
    el('CODE_PAYS', 100),
    el('ACCEPTE_SMS', 0),
    el('DATE_MODIFICATION', fr(p.leavingDate ?? (p.entryDate > model.calendar.start ? p.entryDate : model.calendar.start))),
    opt('DATE_SORTIE', p.leavingDate && fr(p.leavingDate)),
    // 2: changement d'établissement (MOTIFS_SORTIE of the real nomenclature).
    opt('CODE_MOTIF_SORTIE', p.leavingDate && '2'),
    el('CODE_REGIME', 2),
    el('DATE_ENTREE', fr(p.entryDate)),
    el('CODE_SEXE', p.sex),
    el('CODE_PAYS_NAT', 100),
    el('CODE_STATUT', 'ST'),
    opt('CODE_MEF', p.mef),
    el('ADHESION_TRANSPORT', 0),
    el('CODE_PROVENANCE', 1),
  ], { ELEVE_ID: p.eleveId, ELENOET: p.elenoet });
}

/**
 * Spec §8.4: the division and only the groups whose end date is null or ≥ the export date (or,
 * for a pupil who left, equal to the leaving date). Group dates themselves are not exported.
 */
export function exportedGroups(p: Pupil, exportDate: string): string[] {
  return p.groups
    .filter((g) => (p.leavingDate !== undefined ? g.end === p.leavingDate : g.end === undefined || g.end >= exportDate))
    .map((g) => g.code);
}

export function elevesDonnees(model: SchoolModel): Node {
  const exportDate = model.generatedAt.slice(0, 10);
  const optionSubjects = new Map(model.groups.filter((g) => g.purpose !== 'half-class').map((g) => [g.code, g]));
  return el('DONNEES', [
    el('ELEVES', model.pupils.map((p) => eleveNode(model, p))),
    el('OPTIONS', model.pupils.flatMap((p) => {
      const options = p.groups.map((m) => optionSubjects.get(m.code)).filter((g) => g !== undefined);
      if (options.length === 0) return [];
      return [el('OPTION', options.map((g, i) => el('OPTIONS_ELEVE', [
        el('NUM_OPTION', i + 1),
        el('CODE_MODALITE_ELECT', g.purpose === 'option' ? 'F' : 'O'),
        el('CODE_MATIERE', g.subject),
      ])), { ELEVE_ID: p.eleveId })];
    })),
    el('STRUCTURES', model.pupils.map((p) => el('STRUCTURES_ELEVE', [
      el('STRUCTURE', [el('CODE_STRUCTURE', p.division), el('TYPE_STRUCTURE', 'D')]),
      ...exportedGroups(p, exportDate).map((code) => el('STRUCTURE', [el('CODE_STRUCTURE', code), el('TYPE_STRUCTURE', 'G')])),
    ], { ELEVE_ID: p.eleveId }))),
    el('BOURSES'),
  ]);
}

const STREETS = ['RUE DES LILAS', 'AVENUE JEAN JAURÈS', 'CHEMIN DU MOULIN', "RUE DE L'ÉGLISE", 'BOULEVARD GAMBETTA', 'ALLÉE DES CHÊNES'];

/** One responsable légal per pupil (mother or father, same family name), with an address. */
export function responsablesDonnees(model: SchoolModel): Node {
  const dept = model.uai.slice(1, 3);
  const personnes: Node[] = [];
  const liens: Node[] = [];
  const adresses: Node[] = [];
  model.pupils.forEach((p, i) => {
    const id = String(200_000 + i * 3);
    const addressId = String(100_000 + i * 2);
    const mother = i % 3 !== 0;
    personnes.push(el('PERSONNE', [
      el('LC_CIVILITE', mother ? 'MME' : 'M'),
      el('LL_CIVILITE', mother ? 'MADAME' : 'MONSIEUR'),
      el('NOM_DE_FAMILLE', p.lastName.toUpperCase()),
      el('PRENOM', mother ? 'Françoise' : 'Noël'),
      el('TEL_PORTABLE', `+336${String(10_000_000 + ((i * 7919) % 89_999_999)).padStart(8, '0')}`),
      el('ACCEPTE_SMS', 1),
      el('COMMUNICATION_ADRESSE', 1),
      el('ADRESSE_ID', addressId),
    ], { PERSONNE_ID: id }));
    liens.push(el('RESPONSABLE_ELEVE', [
      el('ELEVE_ID', p.eleveId), el('PERSONNE_ID', id), el('NIVEAU_RESPONSABILITE', 1), el('CODE_PARENTE', mother ? 20 : 10),
      el('PAIE_FRAIS_SCOLAIRES', 1), el('PERCOIT_LES_AIDES', 'true'), el('HEBERGE_ELEVE', 'true'), el('A_CONTACTER_EN_PRIORITE', 'true'),
    ]));
    adresses.push(el('ADRESSE', [
      el('LIGNE1_ADRESSE', `${(i % 120) + 1} ${STREETS[i % STREETS.length]!}`),
      el('CODE_POSTAL', `${dept}${String(100 + (i % 9) * 10).padStart(3, '0')}`),
      el('CODE_PAYS', 100),
      el('LL_PAYS', 'FRANCE'),
    ], { ADRESSE_ID: addressId }));
  });
  return el('DONNEES', [el('PERSONNES', personnes), el('RESPONSABLES', liens), el('ADRESSES', adresses)]);
}
