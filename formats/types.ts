// The typed shape of every exchange file of the chain, as the readers in formats/ return it and
// the writers and generators take it. Pure data: no Temporal, no database.
//
// Conventions, whatever the source format:
// - dates are ISO strings `YYYY-MM-DD` (`IsoDate`), date-times `YYYY-MM-DDTHH:mm:ss` (local, no zone);
// - codes (UAI, MEF, matière, structure, ELEVE_ID, INE, STS ids) stay strings: leading zeros are data;
// - a millésime is a number (the four digits of the file).

export type IsoDate = string;
export type IsoDateTime = string;

export type FileKind =
  | 'sts-edt'
  | 'edt-sts'
  | 'siecle-eleves'
  | 'siecle-structures'
  | 'siecle-nomenclature'
  | 'siecle-communs'
  | 'siecle-responsables'
  | 'siecle-etablissements'
  | 'siecle-geographique'
  | 'elegroupe'
  | 'lsu-bilans';

export interface FileHeader {
  kind: FileKind;
  uai: string;
  millesime: number;
  /** DATE_EXPORT / HORODATAGE / DATE_IMPORT, as ISO. */
  exportedAt?: string;
  /** Root @VERSION (BEE, élève-groupe) or @schemaVersion (LSU). */
  version?: string;
}

// ---------------------------------------------------------------------------------------------
// STS-Web → EDT: sts_emp_<UAI>_<ANNEE>.xml (root STS_EDT), DTD_STS_EDT.dtd

export interface StsSubject {
  code: string;
  codeGestion?: string;
  shortLabel?: string;
  longLabel?: string;
}

export interface StsTeacherRef {
  id: string;
  type: string;
}

export interface StsTeacher {
  /** INDIVIDU/@ID: also LSU enseignant/@id-sts. */
  id: string;
  /** epp | local | dir (kept as found). */
  type: string;
  sex?: string;
  civility?: string;
  lastName: string;
  birthName?: string;
  firstName: string;
  birthDate?: IsoDate;
  function?: string;
  /** PROFS_PRINC/PROF_PRINC/CODE_STRUCTURE: divisions of which this teacher is professeur principal. */
  mainTeacherOf: string[];
}

export interface StsService {
  subjectCode: string;
  courseMode?: string;
  teachers: StsTeacherRef[];
}

export interface StsDivision {
  code: string;
  label?: string;
  mefs: string[];
  services: StsService[];
}

export interface StsGroup {
  code: string;
  label?: string;
  /** DIVISIONS_APPARTENANCE: one = part of a class, several = cross-class group. */
  divisions: string[];
  mefs: string[];
  services: StsService[];
}

export interface StsStructureFile {
  header: FileHeader & { kind: 'sts-edt' };
  school: { uai: string; name?: string; academie?: { code: string; label?: string } };
  year: { millesime: number; start?: IsoDate; end?: IsoDate };
  subjects: StsSubject[];
  teachers: StsTeacher[];
  divisions: StsDivision[];
  groups: StsGroup[];
}

// ---------------------------------------------------------------------------------------------
// EDT → STS-Web: emp_sts_<UAI>_<ANNEE>.xml (root EDT_STS), as DTD_EDT_STS.dtd describes it: its own
// tree, not sts_emp's (no NOMENCLATURES, INDIVIDU @ID only, courses under each teacher of a service).

/** COURS: one weekly slot of a teacher in a service. Values kept as written (JOUR "1".."7", HEURE_DEBUT "1500", DUREE "0100"). */
export interface EmpStsCourse {
  alternation: string;
  day: string;
  start: string;
  duration: string;
  room?: string;
}

export interface EmpStsTeacher {
  /** ENSEIGNANT/@ID = sts_emp INDIVIDU/@ID. */
  id: string;
  /** @TYPE is #IMPLIED here (epp | local when present). */
  type?: string;
  hours?: string;
  weighting?: string;
  courses: EmpStsCourse[];
}

export interface EmpStsService {
  subjectCode: string;
  courseMode?: string;
  structureHours?: string;
  coTeaching?: string;
  teachers: EmpStsTeacher[];
}

export interface EmpStsGroup {
  code: string;
  label?: string;
  expectedCount?: string;
  maxCount?: string;
  /** DIVISION_APPARTENANCE/@CODE (#IMPLIED: entries without a code are left out). */
  divisions: string[];
  services: EmpStsService[];
}

export interface EmpStsFile {
  header: FileHeader & { kind: 'edt-sts' };
  /** Where the millésime was read: PARAMETRES/ANNEE_SCOLAIRE, or the official file name when it is absent. */
  yearFrom: 'ANNEE_SCOLAIRE' | 'file-name';
  /** PARAMETRES/APPLICATION_SOURCE (the private timetable software). */
  applicationSource?: string;
  /** HORAIRES/HORAIRE @JOUR {DEBUT_COURS, FIN_COURS}. */
  timeSlots: { day: string; start: string; end: string }[];
  /** ALTERNANCES/ALTERNANCE @CODE {LIBELLE_COURT, LIBELLE_LONG, SEMAINES/DATE_DEBUT_SEMAINE*}. */
  alternations: { code: string; shortLabel: string; longLabel: string; weeks: string[] }[];
  /** SALLES_COURS/SALLE_COURS @CODE {GROUPE_SALLE?, LOCALISATION?}. */
  rooms: { code: string; roomGroup?: string; location?: string }[];
  /** INDIVIDUS/INDIVIDU/@ID: names are sts_emp's, not repeated here. */
  teacherIds: string[];
  divisions: { code: string; services: EmpStsService[] }[];
  groups: EmpStsGroup[];
}

// ---------------------------------------------------------------------------------------------
// SIECLE / BEE exports (ExportXML_<Name>.zip)

export interface SieclePupil {
  /** @ELEVE_ID: BEE primary key, the key the élève-groupe import prefers. */
  eleveId: string;
  /** ID_NATIONAL (INE). */
  ine?: string;
  elenoet?: string;
  /** ID_PRV_ELE: id given by a private software. */
  privateId?: string;
  lastName: string;
  usageName?: string;
  firstName: string;
  firstName2?: string;
  firstName3?: string;
  birthDate: IsoDate;
  sex?: string;
  mef?: string;
  entryDate?: IsoDate;
  leavingDate?: IsoDate;
  /** Divisions (TYPE_STRUCTURE D) from STRUCTURES/STRUCTURES_ELEVE. */
  divisions: string[];
  /** Groups (TYPE_STRUCTURE G). */
  groups: string[];
}

export interface SiecleEleves {
  header: FileHeader & { kind: 'siecle-eleves' };
  pupils: SieclePupil[];
}

export interface SiecleStructures {
  header: FileHeader & { kind: 'siecle-structures' };
  divisions: { code: string; label?: string; mefs: string[] }[];
  groups: { code: string; label?: string; divisions: string[]; mefs: string[] }[];
}

export interface SiecleNomenclature {
  header: FileHeader & { kind: 'siecle-nomenclature' };
  mefs: { code: string; label?: string; editionLabel?: string; opening?: IsoDate; closing?: IsoDate }[];
  subjects: { code: string; codeGestion?: string; shortLabel?: string; longLabel?: string; nationalCode?: string }[];
  /** PROGRAMMES: which subject is taught in which MEF, with its modalité d'élection. */
  programmes: { mef: string; subject: string; modaliteElection: string; hours?: string }[];
  courseModes: { code: string; shortLabel?: string; longLabel?: string }[];
}

export interface SieclePeriod {
  code: string;
  label?: string;
  start: IsoDate;
  end: IsoDate;
  index?: number;
  type?: string;
}

export interface SiecleCommuns {
  header: FileHeader & { kind: 'siecle-communs' };
  school: { name?: string };
  /** DATE_DEB_ELEVE / DATE_DEBUT_ELEVE → DATE_FIN_ELEVE: the "période scolaire autorisée". */
  schoolYear: { start: IsoDate; end: IsoDate; teacherStart?: IsoDate; teacherEnd?: IsoDate };
  previousYear?: { start: IsoDate; end: IsoDate };
  periods: SieclePeriod[];
  closures: { reason?: string; label?: string; start: IsoDate; end: IsoDate }[];
}

export interface SiecleResponsables {
  header: FileHeader & { kind: 'siecle-responsables' };
  /** Counts only: responsables are not used by the chain's checks (and are personal data). */
  persons: number;
  links: number;
}

export interface SiecleHeaderOnly {
  header: FileHeader & { kind: 'siecle-etablissements' | 'siecle-geographique' };
}

// ---------------------------------------------------------------------------------------------
// PRONOTE → SIECLE élève-groupe: <UAI>ELEGROUPE<AAAA><AAMMJJhhmmss>.xml in a zip of the same base name

export type EleGroupeIdKind = 'ELEVE_ID' | 'ID_NATIONAL' | 'ID_PRV_ELE';

export interface EleGroupeMembership {
  code: string;
  start?: IsoDate;
  end?: IsoDate;
}

export interface EleGroupePupil {
  id: { kind: EleGroupeIdKind; value: string };
  lastName: string;
  usageName?: string;
  firstName: string;
  firstName2?: string;
  firstName3?: string;
  birthDate: IsoDate;
  groups: EleGroupeMembership[];
  /** Line of the ELEVE element in the source file, when read from a file. */
  line?: number;
}

export interface EleGroupeFile {
  header: FileHeader & { kind: 'elegroupe' };
  /** IMPORT_ELEVES/@VERSION, e.g. "1.4". */
  version: string;
  /** DATE_IMPORT (jj/mm/aaaa in the file). */
  importDate: IsoDate;
  numEnvoi?: number;
  logiciel?: string;
  pupils: EleGroupePupil[];
}

// ---------------------------------------------------------------------------------------------
// PRONOTE → LSU bilans: import_lsu_<yyyymmddhhmmss>.xml, root lsun-bilans. Read as a stream: the
// referentials come first in the file, then one callback per bilan.

export interface LsuHeader extends FileHeader {
  kind: 'lsu-bilans';
  schemaVersion: string;
  editor?: string;
  application?: string;
  applicationVersion?: string;
}

export interface LsuPupil {
  ref: string;
  /** @id-be = SIECLE ELEVE_ID. */
  idBe: string;
  lastName: string;
  firstName: string;
  division: string;
}

export interface LsuPeriod {
  ref: string;
  millesime: number;
  index: number;
  count: number;
}

export interface LsuDiscipline {
  ref: string;
  code: string;
  nationalCode?: string;
  modaliteElection: string;
  label: string;
}

export interface LsuTeacher {
  ref: string;
  /** @id-sts = STS INDIVIDU/@ID; absent or non-numeric means unknown to STS. */
  idSts?: string;
  type: string;
  civility?: string;
  lastName: string;
  firstName?: string;
}

export interface LsuReferentials {
  pupils: Map<string, LsuPupil>;
  periods: Map<string, LsuPeriod>;
  disciplines: Map<string, LsuDiscipline>;
  teachers: Map<string, LsuTeacher>;
}

export interface LsuPeriodicBilan {
  kind: 'periodic';
  pupilRef: string;
  periodRef: string;
  mainTeacherRefs: string[];
  councilDate?: IsoDate;
  schoolingDate?: IsoDate;
  lockDate?: IsoDateTime;
  subjects: { disciplineRef: string; teacherRefs: string[]; appraisal?: string }[];
  /** acquis-conseils present and not blank. */
  hasGeneralAppraisal: boolean;
  /** vie-scolaire carries something: a comment or a non-zero counter. */
  hasVieScolaire: boolean;
  /** Writer input: the text of acquis-conseils (a neutral default is written when absent). */
  generalAppraisal?: string;
  /** Writer input: the vie-scolaire counters and comment. */
  vieScolaire?: { lates: number; justifiedAbsences: number; unjustifiedAbsences: number; missedHours?: number; comment?: string };
  line: number;
}

export interface LsuCycleBilan {
  kind: 'cycle';
  pupilRef: string;
  cycle: number;
  millesime: number;
  mainTeacherRefs: string[];
  /** @date-creation (required by the schema; the writer defaults it to 30 June of millésime + 1). */
  creationDate?: IsoDate;
  /** Writer input: the 8 domains of the socle, positionnement 0-4 (defaults to 3 for each). */
  socle?: { code: string; positioning: number }[];
  /** Writer input: the synthèse (a neutral default is written when absent). */
  synthesis?: string;
  line: number;
}

export type LsuBilan = LsuPeriodicBilan | LsuCycleBilan;

/** What a writer or a generator needs to produce a complete lsun-bilans file. */
export interface LsuBilansDocument {
  schemaVersion: string;
  editor: string;
  application: string;
  applicationVersion: string;
  uai: string;
  /** responsables-etab/responsable-etab (required by the schema); default { ref: 'RESP_ETAB', label: "Chef d'établissement" }. */
  responsableEtab?: { ref: string; label: string };
  pupils: LsuPupil[];
  periods: LsuPeriod[];
  disciplines: LsuDiscipline[];
  teachers: LsuTeacher[];
  periodic: LsuPeriodicBilan[];
  cycle: LsuCycleBilan[];
}
