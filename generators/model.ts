// The generated school: one coherent truth (structures, teachers, services, pupils, calendar) and,
// beside it, what each application's export says about it. The exports normally agree with the
// truth; a fault makes one of them disagree on purpose (see faults.ts). Pure data.
import type { EleGroupeFile, IsoDate, IsoDateTime, LsuBilansDocument, SieclePeriod } from '../formats/types.js';

export type SchoolKind = 'college' | 'lycee';

export interface Division {
  code: string;
  label: string;
  mef: string;
  /** 6, 5, 4, 3 (collège) or 2, 1, 0 for 2nde, 1re, Tle. */
  level: number;
}

export type GroupPurpose = 'lv2' | 'option' | 'half-class' | 'specialite';

export interface Group {
  code: string;
  label: string;
  /** DIVISIONS_APPARTENANCE: one for a half-class group, several for a cross-class group. */
  divisions: string[];
  mefs: string[];
  purpose: GroupPurpose;
  subject: string;
}

export interface Teacher {
  /** STS INDIVIDU/@ID, digits only: also LSU enseignant/@id-sts. */
  id: string;
  type: 'epp' | 'local';
  sex: '1' | '2';
  civility: 'M.' | 'MME';
  lastName: string;
  firstName: string;
  birthDate: IsoDate;
  /** Main discipline (code matière). */
  subject: string;
  /** Divisions of which this teacher is professeur principal. */
  mainTeacherOf: string[];
}

export interface Service {
  structure: string;
  structureKind: 'division' | 'group';
  subject: string;
  courseMode: 'CG' | 'TP';
  /** Modalité d'élection of the subject in that structure (S, O, F). */
  modalite: 'S' | 'O' | 'F';
  hours: number;
  teacherIds: string[];
}

export interface GroupMembership {
  code: string;
  start: IsoDate;
  /** Undefined: still in the group. */
  end?: IsoDate;
}

export interface Pupil {
  /** BEE ELEVE_ID. */
  eleveId: string;
  /** ID_NATIONAL, 11 characters. */
  ine: string;
  /** ELENOET, 5 digits, per school. */
  elenoet: string;
  lastName: string;
  firstName: string;
  firstName2?: string;
  birthDate: IsoDate;
  sex: '1' | '2';
  /** Undefined only through the 'pupil-without-mef' fault. */
  mef?: string;
  entryDate: IsoDate;
  leavingDate?: IsoDate;
  division: string;
  groups: GroupMembership[];
}

export interface SchoolCalendar {
  /** DATE_DEB_ELEVE → DATE_FIN_ELEVE (SIECLE Communs): the "période scolaire autorisée". */
  start: IsoDate;
  end: IsoDate;
  teacherStart: IsoDate;
  teacherEnd: IsoDate;
  periods: SieclePeriod[];
}

/** UAI and millésime as a file carries them (equal to the school's unless a fault says otherwise). */
export interface FileStamp {
  uai: string;
  millesime: number;
}

export interface SchoolModel {
  seed: number;
  kind: SchoolKind;
  uai: string;
  name: string;
  academie: { code: string; label: string };
  /** SIECLE millésime (also PRONOTE's, EDT's and LSU's). */
  millesime: number;
  /** STS-Web's millésime of the same school year (millésime + 1 in Nouvelle-Calédonie). */
  stsMillesime: number;
  calendar: SchoolCalendar;
  /** Time stamp of every export (HORODATAGE, DATE_EXPORT, DATE_IMPORT, file names). */
  generatedAt: IsoDateTime;
  mefs: string[];
  subjects: string[];
  divisions: Division[];
  groups: Group[];
  teachers: Teacher[];
  services: Service[];
  pupils: Pupil[];
  /** Per-file stamps, so that one file can carry the wrong year or UAI. */
  stamps: { sts: FileStamp; edt: FileStamp; siecle: FileStamp };
  /** PRONOTE's élève-groupe export (PRONOTE's view of the links: faults make it diverge). */
  eleGroupe: EleGroupeFile;
  /** PRONOTE's LSU export of the first period (collège only: lycées use the LSL, not LSU). */
  lsu?: LsuBilansDocument;
}
