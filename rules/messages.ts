// The texts of the reports: SIECLE codes and messages VERBATIM (official spec annex 9.4, DOMAIN.md),
// LSU labels of the rapport d'exécution, and the cause / correction of each anomaly taken from the
// académies' guides (seed 004 for SIECLE, seeds 000-002 for LSU). A text marked "ours" is not in
// any source: it is written in the same spirit and may be replaced when the real one is found.
import { frDate } from './dates.js';

/** SIECLE élève-groupe messages; `%` is replaced in order by the values. */
export const SIECLE_MESSAGES = {
  REJ_ELGRP: "Non prise en compte de l'inscription d'un élève dans un groupe",
  REINIT_ELEGROUPE: "Réinitialisation des liens 'élève-groupe'",
  REJET_ELEGROUPE: "Non prise en compte des inscriptions de l'élève",
  /** Shown in the pupils' table for a PAR pupil (seed 004's compte-rendu). */
  PARTIEL: "Liens 'élève-groupe' partiellement importés",
  REJELEGROUPE_01: "L'élève % % né le % (identifiant envoyé = %) n'a pas été trouvé dans SCONET. Veuillez mettre à jour les identifiants dans votre logiciel d'emploi du temps privé.",
  REJELEGROUPE_02: "Problème de rejet non identifié pour l'import des liens 'élève-groupe'. Veuillez signaler ce problème.",
  REJELEGROUPE_03: "Les inscriptions de groupe de l'élève % % né le % (identifiant envoyé = %) ont déjà été importées dans SCONET (élève déjà traité ou homonymes). Veuillez mettre à jour les identifiants dans votre logiciel d'emploi du temps privé.",
  GROUPE: "L'inscription de l'élève dans un groupe est invalide.",
  GROUPE_A_01: 'Le groupe "%" n\'est pas référencé. L\'inscription de l\'élève dans ce groupe a été rejetée.',
  GROUPE_B_01: "L'élève non inscrit dans un MEF ne peut pas être inscrit dans un groupe. Toutes les inscriptions de groupe importées de l'élève ont été rejetées.",
  GROUPE_B_02: 'Le groupe "%" n\'est pas rattaché au MEF ("%") de l\'élève. L\'inscription de l\'élève dans ce groupe a été rejetée.',
  ELEGRP: "Les dates d'inscription de l'élève dans un groupe sont invalides.",
  ELEGRP_A_01: 'La date de début "%" n\'est pas antérieure à la date de fin "%" pour le groupe "%". Celle-ci a été réinitialisée à %.',
  ELEGRP_A_02: 'La date de début "%" du groupe "%" n\'est pas incluse dans la période scolaire autorisée sur l\'année en cours (du % au %). Celle-ci a été réinitialisée à %.',
  ELEGRP_A_03: 'La date de fin "%" du groupe "%" n\'est pas incluse dans la période scolaire autorisée sur l\'année en cours (du % au %). Celle-ci a été réinitialisée à %.',
} as const;

export type SiecleMessageCode = keyof typeof SIECLE_MESSAGES;

/** SIECLE's refusals at deposit of an élève-groupe zip (nothing is processed). */
export const DEPOSIT_MESSAGES = {
  DEPOT_NOM_ZIP: 'Nom de fichier .zip incorrect ! Le nom du fichier .zip doit être indique à celui du fichier .xml.',
  DEPOT_ANNEE: "Année du fichier différente de l'année utilisée !",
  DEPOT_NOM: 'Nom du fichier mal formaté!',
  DEPOT_XSD: 'Fichier XML non valide. Impossible d\'importer ce fichier.',
} as const;

export type DepositCode = keyof typeof DEPOSIT_MESSAGES;

/** Fills each `%` of a template in order; extra `%` stay as they are (a bug shows, never a crash). */
export function fill(template: string, ...values: readonly (string | number)[]): string {
  let i = 0;
  return template.replace(/%/g, () => (i < values.length ? String(values[i++]) : '%'));
}

/** A SIECLE message with its values; ISO dates among the values are written JJ/MM/AAAA. */
export function siecleMessage(code: SiecleMessageCode, ...values: readonly (string | number)[]): string {
  return fill(SIECLE_MESSAGES[code], ...values.map((v) => (typeof v === 'string' ? frDate(v) : v)));
}

/**
 * A reset date as SIECLE prints it: quoted, JJ/MM/AAAA (seed 004: `réinitialisée à "14/12/2018".`).
 * An end reset to "still in the group" is printed as an empty value.
 */
export function resetValue(date: string | undefined): string {
  return `"${date === undefined ? '' : frDate(date)}"`;
}

export interface Explanation {
  cause: string;
  correction: string;
}

const SEED_004_STRUCTURE_FIX =
  "Vérifier si ce groupe est dans STS-WEB Si oui : refaire un transfert de la structure de STS-WEB vers SIECLE (point 3.4.1), puis reprendre les opérations d'import du fichier (point 3.5.2). Si non : Corriger les structures dans STS-Web (par exemple le rattachement d'un groupe à un MEF), puis refaire un transfert de la structure de STS-WEB vers SIECLE (point 3.4.1), et finalement refaire les opérations d'import du fichier (point 3.5.2)";

const ELEGRP_EXPLANATION: Explanation = {
  cause: 'Différence de calendrier entre SIECLE et PRONOTE',
  correction: "Cette anomalie n'est pas bloquante, les dates sont réinitialisées à partir du calendrier de SIECLE qui fait office de référence",
};

const IDENTIFIERS_EXPLANATION: Explanation = {
  // ours: the correction follows the message itself and PRONOTE's menu seen in seed 004.
  cause: "L'identifiant envoyé ne correspond à aucun élève de la base SIECLE (élève inconnu, sorti ou identifiants non récupérés).",
  correction: 'Dans PRONOTE : Fichier > SIECLE > « Récupérer les identifiants des élèves », puis exporter de nouveau les liens élèves/groupes.',
};

/** Cause and correction per SIECLE / deposit code (seed 004 where it gives one). */
export const EXPLANATIONS: Partial<Record<SiecleMessageCode | DepositCode, Explanation>> = {
  GROUPE_A_01: { cause: "Ce groupe n'est pas connu de SIECLE, il est donc ignoré.", correction: SEED_004_STRUCTURE_FIX },
  GROUPE_B_02: {
    // ours (cause); the correction is seed 004's "Si non" branch.
    cause: "Dans SIECLE, ce groupe n'est rattaché ni au MEF ni à la division de l'élève.",
    correction: SEED_004_STRUCTURE_FIX,
  },
  GROUPE_B_01: {
    cause: "L'élève n'a pas de MEF dans SIECLE (scolarité incomplète).", // ours
    correction: "Compléter la scolarité de l'élève (MEF) dans SIECLE BEE, puis redéposer le fichier.", // ours
  },
  ELEGRP_A_01: ELEGRP_EXPLANATION,
  ELEGRP_A_02: ELEGRP_EXPLANATION,
  ELEGRP_A_03: ELEGRP_EXPLANATION,
  REJELEGROUPE_01: IDENTIFIERS_EXPLANATION,
  REJELEGROUPE_03: {
    cause: "Le même élève figure deux fois dans le fichier (sous deux identifiants) ou a des homonymes.", // ours
    correction: "Vérifier les doublons dans PRONOTE et récupérer les identifiants SIECLE des élèves.", // ours
  },
  DEPOT_ANNEE: {
    // seed 004: "Le fichier Zippé, contient le millésime 2017. Dans le cas ou il contiendrait 2018, c'est que
    // votre connexion internet n'est pas active avec pronote".
    cause: "Le millésime du fichier n'est pas celui de la base SIECLE utilisée (client PRONOTE non à jour ou connexion internet inactive avec PRONOTE).",
    correction: 'Dans ce cas de figure, vérifiez la version de votre client Pronote, le paramétrage de Pronote et reprendre la présente procédure.',
  },
  DEPOT_NOM_ZIP: { cause: "Le fichier .zip a été renommé après l'export PRONOTE.", correction: "Déposer le .zip produit par PRONOTE sans le renommer." }, // ours
  DEPOT_NOM: { cause: "Le nom n'est pas <UAI>ELEGROUPE<AAAA><AAMMJJhhmmss>.", correction: "Déposer le fichier produit par PRONOTE sans le renommer." }, // ours
  DEPOT_XSD: { cause: "Le fichier ne respecte pas le schéma d'import des liens élève-groupe.", correction: "Exporter de nouveau depuis PRONOTE à jour ; signaler le problème à l'éditeur s'il persiste." }, // ours
};

// ---------------------------------------------------------------------------------------------
// LSU: labels of the rapport d'exécution (seeds 000, 002) and their explanations.

export const LSU_LABELS = {
  ENSEIGNANT_INCONNU: 'Enseignant inconnu',
  ENSEIGNANT_MANQUANT: 'Enseignant manquant',
  // ours: seed 001's alert for teachers without an enseignement service in the pupil's class
  ENSEIGNANT_SANS_SERVICE: 'Enseignant sans service',
  ELEVE_NON_SCOLARISE: 'Élève non scolarisé',
  DISCIPLINES_NON_ENSEIGNEES: 'Disciplines non enseignées',
  HORS_PROGRAMME: 'Enseignements hors programme',
  ANNEE_INCOHERENTE: 'Année scolaire incohérente',
  CLASSE_NON_TROUVEE: 'Classe non trouvée',
  DISPENSES_NON_AUTORISEES: 'Dispenses non autorisées',
  // ours, for the rules of seeds 000/001 that have no label in the sources
  PERIODE_INCOHERENTE: 'Période incohérente avec SIECLE',
  BILAN_VISE: 'Bilan visé par un représentant légal',
  SCONET_NOTES: 'Import Sconet Notes',
  PARAMETRAGE_CLASSE: 'Paramétrage de la classe',
  ANNULE_ET_REMPLACE: 'Annule et remplace',
  FICHIER: 'Fichier rejeté',
} as const;

export type LsuLabelKey = keyof typeof LSU_LABELS;

/** Seed 000 (periodic) and its end-of-cycle variant, verbatim; `%` = "MME NOM", cycle, pupil, class. */
export const LSU_UNKNOWN_TEACHER =
  "L'enseignant % est inconnu dans la base de données SIECLE. Il ne pourra pas consulter le bilan de l'élève dans LSU. Vérifiez les données dans le logiciel de gestion des notes, Services et Structures (STS.WEB) et SIECLE (export services STS.WEB/SIECLE)";
export const LSU_UNKNOWN_TEACHER_CYCLE =
  "L'enseignant % est inconnu dans la base de données SIECLE. Il ne pourra pas consulter le bilan de fin de cycle % de l'élève % (%) dans LSU. Vérifiez les données dans le logiciel de gestion des notes, Services et Structures (STS.WEB) et SIECLE";

export const LSU_EXPLANATIONS: Partial<Record<LsuLabelKey, Explanation>> = {
  ELEVE_NON_SCOLARISE: {
    cause: 'Si ce n\'est pas le cas (élève toujours scolarisé), cela signifie que les dates de scolarisation entre pronote et BEE ne correspondent pas.',
    correction: "Vérifier la scolarité de l'élève pour la période dans Siècle-BEE (Base Elève) puis dans les données du logiciel de suivi des acquis. Corrigez et réimportez.",
  },
  DISCIPLINES_NON_ENSEIGNEES: {
    cause: "Ces erreurs sont dues à une incohérence : les services et structures STSWEB n'ont pas été récemment exportés vers SCONET.",
    correction: "Vérifier dans STS Web que les services d'enseignements sont bien définis, puis exporter les services et structures de STS-Web vers SIECLE.",
  },
  HORS_PROGRAMME: {
    cause: 'Erreur souvent liée à la mise en place des co-enseignements pour les EPI.',
    correction: 'Vérifiez que les données des EPI sont bien remontées dans le LSU.',
  },
  ENSEIGNANT_INCONNU: {
    cause: "L'enseignant n'a pas d'identifiant STS connu de SIECLE (services STS-Web non exportés vers SIECLE).",
    correction: 'Vérifiez les données dans le logiciel de gestion des notes, Services et Structures (STS.WEB) et SIECLE (export services STS.WEB/SIECLE)',
  },
  ENSEIGNANT_MANQUANT: {
    cause: "Une discipline du bilan n'a aucun enseignant.", // ours
    correction: "Renseigner l'enseignant de la discipline dans le logiciel de gestion des notes, puis réimporter.", // ours
  },
  ENSEIGNANT_SANS_SERVICE: {
    cause: "L'enseignant n'a pas de service d'enseignement dans la classe (ou ses groupes) dans STS-Web.",
    correction: "Vérifier les services de l'enseignant dans STS-Web, puis exporter les services vers SIECLE (synchro 4b).",
  },
  PERIODE_INCOHERENTE: {
    cause: 'Écart avec les périodes définies dans SIECLE Commun (période inexistante, millésime différent, nombre de périodes).',
    correction: "Aligner les périodes du logiciel de notes sur celles de SIECLE ; l'intégration des bilans n'est pas bloquée.",
  },
  BILAN_VISE: {
    cause: 'Un bilan visé par un représentant légal sur le service en ligne ne peut plus être réimporté.',
    correction: "Retirer ce bilan du fichier (exception : bilan de fin de cycle d'un élève redoublant la dernière année de cycle).",
  },
};
