// What the school's staff do for each step, in the words of the académies' own procedures
// (/work/shared/seeds: 004 « Procédure de synchronisation PRONOTE / EDT avec STSWeb / SIECLE »,
// 000-002 LSU bilans import, 003 LSU « Synchronisation base élèves »). Menu paths are quoted as the
// seeds print them; where a seed says nothing (EDT's export to STS-Web: « A compléter » in 004
// §3.3.1), we say so rather than invent a menu. One table, one entry per step: the school's page
// reads it, nothing else decides what a person is told to do.
import type { DetectedKind } from '../../../formats/detect';
import type { StepId } from '../../../workflows/steps';

export type PortalApplication = 'STS-Web' | 'EDT' | 'SIECLE' | 'PRONOTE' | 'LSU';

export interface MenuAction {
  /** Where it is done. */
  application: PortalApplication;
  /** The menu path as the seed prints it (« > » between levels); undefined: not documented. */
  menu?: string;
  /** What to do there, in a sentence. */
  what: string;
}

export interface StepGuidance {
  step: StepId;
  /** The seed's own title for the step. */
  title: string;
  /** Export from the source application (what produces the file, or the button to press). */
  export: MenuAction;
  /** The file handed in on this page (official name pattern); undefined for a button in STS-Web. */
  file?: { pattern: (uai: string, millesime: number) => string; kinds: readonly DetectedKind[]; note?: string };
  /** What the destination application does with it (done by the chain's connector or by the staff). */
  import?: MenuAction;
  /** Where to read the result afterwards. */
  verify?: MenuAction;
  /** Seed and paragraph the text comes from. */
  source: string;
}

const SIECLE_KINDS: readonly DetectedKind[] = [
  'siecle-eleves', 'siecle-structures', 'siecle-nomenclature', 'siecle-communs', 'siecle-responsables', 'siecle-etablissements', 'siecle-geographique',
];

export const STEP_GUIDANCE: Record<StepId, StepGuidance> = {
  'sts-edt': {
    step: 'sts-edt',
    title: 'Synchro n°1 : actualiser les services et les groupes de STS-Web vers EDT',
    export: { application: 'STS-Web', menu: 'STS-Web > Exports > Emploi du temps', what: "Sélectionnez l'année à traiter (vérifiez dans « Campagne » que c'est l'année en cours), puis enregistrez le fichier XML sans l'ouvrir." },
    file: { pattern: (uai, m) => `sts_emp_${uai}_${m}.xml`, kinds: ['sts-edt'], note: 'Ne surtout pas ouvrir ce fichier avant de le déposer.' },
    import: { application: 'EDT', menu: 'EDT > Fichier > STSWEB > Établir les correspondances', what: 'Sélectionnez le fichier sts_emp, puis établissez les correspondances : matières, professeurs, classes, groupes.' },
    source: 'seed 004, §3.1.1 et §3.1.2',
  },
  'siecle-pronote': {
    step: 'siecle-pronote',
    title: 'Synchro n°2 : actualiser les élèves de SIECLE vers PRONOTE',
    export: { application: 'SIECLE', menu: 'SIECLE > Mise à jour > Exportations > En XML', what: 'Téléchargez les 7 fichiers : Élèves (avec ou sans adresses), Responsables, Structures, Nomenclature, Communs, Établissements, Géographique.' },
    file: { pattern: () => 'ExportXML_<Nom>.zip (les 7 fichiers)', kinds: SIECLE_KINDS },
    import: { application: 'PRONOTE', menu: 'PRONOTE > Fichier > SIECLE > Récupérer les données des élèves > ETABLISSEMENT', what: 'Sélectionnez les 7 fichiers, « Valider la sélection », puis « Importer » ; consultez le rapport d\'import.' },
    source: 'seed 004, §3.2.1 et §3.2.2',
  },
  'edt-sts': {
    step: 'edt-sts',
    title: 'Synchro n°3 : actualiser les services et les groupes dans STS-Web depuis EDT',
    export: { application: 'EDT', what: "Exportez les services et les groupes vers STS-Web (la procédure académique ne détaille pas encore ce menu : « A compléter »)." },
    file: { pattern: (uai, m) => `emp_sts_${uai}_${m}.xml`, kinds: ['edt-sts'] },
    import: { application: 'STS-Web', menu: 'STS-Web > Imports > Emploi du temps', what: "« Import de l'emploi du temps » : sélectionnez le fichier emp_sts." },
    source: 'seed 004, §3.3.1 et §3.3.2',
  },
  'sts-siecle-structure': {
    step: 'sts-siecle-structure',
    title: 'Synchro n°4a : envoyer la structure (divisions et groupes) de STS-Web vers SIECLE',
    export: { application: 'STS-Web', menu: 'STS-Web > Exports > Structure', what: "Cliquez sur « Structure », attendez la fin du traitement (il peut être long) et le message « La structure a été envoyée à SCONET via un service Web. », puis confirmez l'étape ici." },
    source: 'seed 004, §3.4.1',
  },
  'sts-siecle-services': {
    step: 'sts-siecle-services',
    title: 'Synchro n°4b : envoyer les services (enseignants, professeur principal) de STS-Web vers SIECLE',
    export: { application: 'STS-Web', menu: 'STS-Web > Exports > Services', what: "Choisissez « Exporter les services à destination de SCONET ? », « valider », attendez le message « Les services ont été envoyés à SCONET via un service Web. », puis confirmez l'étape ici." },
    source: 'seed 004, §3.4.2',
  },
  'pronote-siecle-elegroupe': {
    step: 'pronote-siecle-elegroupe',
    title: 'Synchro n°5 : liens élèves-groupes de PRONOTE vers SIECLE',
    export: { application: 'PRONOTE', menu: 'PRONOTE > Fichier > SIECLE > Exporter les liens élèves/groupes', what: 'Lancez PRONOTE en SPR, choisissez ETABLISSEMENT, puis le dossier où enregistrer le fichier zip.' },
    file: { pattern: (uai, m) => `${uai}ELEGROUPE${m}<AAMMJJhhmmss>.zip`, kinds: ['elegroupe'], note: `Le fichier zippé doit contenir le millésime de SIECLE ; un autre millésime signale une connexion internet de PRONOTE inactive.` },
    import: { application: 'SIECLE', menu: 'SIECLE > Mise à jour > Importations > Liens élève-groupe depuis logiciel privé', what: '« Parcourir », « déposer », puis OK : SIECLE contrôle le dépôt et traite le fichier la nuit.' },
    verify: { application: 'SIECLE', menu: 'SIECLE > Suivi des échanges > Logiciel privé - Liens élève-groupe', what: "Le lendemain matin, lisez le compte-rendu d'import (le compte-rendu prévu est affiché ici dès le dépôt)." },
    source: 'seed 004, §3.5.1 et §3.5.2',
  },
  'lsu-base-sync': {
    step: 'lsu-base-sync',
    title: 'LSU : synchronisation base élèves',
    export: { application: 'LSU', menu: 'LSU > Échanges de données > Synchronisation Base Élèves', what: 'Sélectionnez les classes, cliquez sur « Synchroniser », puis consultez le rapport de synthèse. Les périodes de chaque classe doivent avoir été paramétrées.' },
    source: 'seed 003, §1',
  },
  'lsu-bilans': {
    step: 'lsu-bilans',
    title: 'LSU : import des bilans (fin de période)',
    export: { application: 'PRONOTE', menu: 'PRONOTE > Fichier > LSL/LSU/ADMISSION POST-BAC/OBII > Exporter les bulletins vers LSU', what: "Choisissez la période et les classes (une seule classe la première fois, puis un export par niveau) ; PRONOTE écrit un fichier import_lsu_<aaaammjjhhmmss>.xml." },
    file: { pattern: () => 'import_lsu_<aaaammjjhhmmss>.xml', kinds: ['lsu-bilans'], note: 'XML uniquement, 100 Mo au plus par fichier ; plusieurs fichiers à la fois.' },
    import: { application: 'LSU', menu: 'LSU > Échanges de données > Import', what: '« Sélectionner des fichiers », puis « Importer » ; le rapport de synthèse s\'affiche. L\'import de toutes les classes peut durer 30 minutes : ne pas l\'interrompre.' },
    verify: { application: 'LSU', menu: 'LSU > Échanges de données > Import', what: "Cliquez sur l'icône œil d'un import pour lire son rapport d'exécution." },
    source: 'seeds 000 (§1, §2), 001 et 002',
  },
};

/** The step that takes a file of this kind (the upload zone of a step refuses the others). */
export function stepForKind(kind: DetectedKind): StepId | undefined {
  return (Object.values(STEP_GUIDANCE).find((g) => g.file?.kinds.includes(kind)))?.step;
}
