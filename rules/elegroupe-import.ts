// The NIGHTLY SIECLE processing of an élève-groupe file, simulated against the school's SIECLE
// exports: the compte-rendu SIECLE will show the next morning, and the links it will hold.
// Full replacement: every group link of the school is deleted, then the file's links are added.
// Linear in the number of pupils and links (maps only): a 2,500-pupil lycée runs in milliseconds.
import type { EleGroupeFile, EleGroupeMembership, EleGroupePupil, IsoDate, SiecleCommuns, SiecleEleves, SieclePupil, SiecleStructures } from '../formats/types.js';
import type { Anomaly } from './anomaly.js';
import { authorisedPeriod, type AuthorisedPeriod, type CalendarOptions } from './calendar.js';
import { isIsoDate, minDate } from './dates.js';
import { EXPLANATIONS, resetValue, SIECLE_MESSAGES, siecleMessage, type SiecleMessageCode } from './messages.js';
import { PupilIndex } from './pupil-lookup.js';

export type PupilClass = 'REINIT_ELGRP' | 'PAR' | 'REJ_ELGRP' | 'ABS';

export interface EleGroupeImportContext {
  eleves: SiecleEleves;
  /** Without it the groups cannot be checked (GROUPE_A_01 / GROUPE_B_02): an information says so. */
  structures?: SiecleStructures;
  /** Gives the période scolaire autorisée; else the calendar table. */
  communs?: SiecleCommuns;
  calendar?: CalendarOptions;
  fileName?: string;
}

export interface ResultingLink {
  eleveId: string;
  groupCode: string;
  start: IsoDate;
  /** Undefined: still in the group. */
  end?: IsoDate;
}

export interface PupilOutcome {
  sentId: EleGroupePupil['id'];
  /** The SIECLE pupil found, when found. */
  eleveId?: string;
  /** As written in the file, for the compte-rendu (SIECLE shows names; logs must not). */
  displayName: string;
  class: Exclude<PupilClass, 'ABS'>;
  anomalies: Anomaly[];
  line?: number;
}

export interface EleGroupeCounts {
  read: number;
  imported: number;
  partial: number;
  rejected: number;
  absent: number;
}

export interface EleGroupeImportReport {
  uai: string;
  millesime: number;
  period: AuthorisedPeriod;
  counts: EleGroupeCounts;
  pupils: PupilOutcome[];
  links: ResultingLink[];
  /** SIECLE links (from the Élèves export) that the full replacement removes. */
  removedLinks: number;
  /** Every anomaly, pupil by pupil in file order, then those about the whole file. */
  anomalies: Anomaly[];
}

const LEVELS: Partial<Record<SiecleMessageCode, Anomaly['level']>> = {
  REJELEGROUPE_01: 'error', REJELEGROUPE_02: 'error', REJELEGROUPE_03: 'error', GROUPE_B_01: 'error',
};

function anomaly(code: SiecleMessageCode, family: string, subject: Anomaly['subject'], ...values: (string | number)[]): Anomaly {
  return { code, level: LEVELS[code] ?? 'warning', label: family, message: siecleMessage(code, ...values), subject, ...EXPLANATIONS[code] };
}

/**
 * MEFs a group is attached to: its own MEFS_APPARTENANCE plus those of its divisions
 * (DIVISIONS_APPARTENANCE). ASSUMPTION (GROUPE_B_02): a group with no MEF at all either way is
 * not checked, since SIECLE's exact rule (RG_GROUPE_B) is not public.
 */
function groupMefs(structures: SiecleStructures): Map<string, Set<string>> {
  const divisionMefs = new Map(structures.divisions.map((d) => [d.code, d.mefs]));
  const result = new Map<string, Set<string>>();
  for (const g of structures.groups) {
    const mefs = new Set(g.mefs);
    for (const d of g.divisions) for (const m of divisionMefs.get(d) ?? []) mefs.add(m);
    result.set(g.code, mefs);
  }
  return result;
}

/**
 * The link of one group, its dates reset to the SIECLE calendar where they fall outside it
 * (RG_ELEGROUPE_A); the resets' anomalies are added to `found`. Called for every link of the file (a
 * lycée's 15,000): nothing is made for a link whose dates stand, not even its anomaly's subject.
 */
function linkWithDates(g: EleGroupeMembership, pupil: SieclePupil, period: AuthorisedPeriod, pupilSubject: NonNullable<Anomaly['subject']>, found: Anomaly[]): ResultingLink {
  const entry = pupil.entryDate;
  const leaving = pupil.leavingDate;
  // Entered during the year: after the rentrée and before its end.
  const defaultStart = entry !== undefined && within(entry, period) && entry > period.start ? entry : period.start;
  const defaultEnd = leaving !== undefined && within(leaving, period) ? leaving : undefined;
  let start = g.start === undefined ? defaultStart : g.start;
  if (g.start !== undefined && !(isIsoDate(g.start) && within(g.start, period))) {
    start = defaultStart;
    found.push(dateAnomaly('ELEGRP_A_02', pupilSubject, g.code, g.start, g.code, period.start, period.end, resetValue(start)));
  }
  let end = g.end === undefined ? defaultEnd : g.end;
  if (g.end !== undefined && !(isIsoDate(g.end) && within(g.end, period))) {
    // Seed 004: an end after the year is reset to the year's last day (or the leaving date).
    end = isIsoDate(g.end) && g.end > period.end ? minDate(period.end, defaultEnd ?? period.end) : defaultEnd;
    found.push(dateAnomaly('ELEGRP_A_03', pupilSubject, g.code, g.end, g.code, period.start, period.end, resetValue(end)));
  }
  // ASSUMPTION: a start on the same day as the end is valid (a one-day group); only later is not.
  if (end !== undefined && start > end) {
    const wrong = start;
    start = defaultStart;
    found.push(dateAnomaly('ELEGRP_A_01', pupilSubject, g.code, wrong, end, g.code, resetValue(start)));
    if (start > end) end = defaultEnd;
  }
  return end === undefined ? { eleveId: pupil.eleveId, groupCode: g.code, start } : { eleveId: pupil.eleveId, groupCode: g.code, start, end };
}

function within(d: IsoDate, period: AuthorisedPeriod): boolean {
  return d >= period.start && d <= period.end;
}

function dateAnomaly(code: SiecleMessageCode, pupilSubject: NonNullable<Anomaly['subject']>, groupCode: string, ...values: string[]): Anomaly {
  return anomaly(code, 'ELEGRP', { ...pupilSubject, groupCode }, ...values);
}

export function simulateEleGroupeImport(file: EleGroupeFile, context: EleGroupeImportContext): EleGroupeImportReport {
  const { uai, millesime } = file.header;
  const fileName = context.fileName;
  const period = authorisedPeriod(uai, millesime, { ...context.calendar, ...(context.communs && { communs: context.communs }) });
  const index = new PupilIndex(context.eleves.pupils);
  const knownGroups = context.structures ? groupMefs(context.structures) : undefined;
  const processed = new Set<string>();
  const pupils: PupilOutcome[] = [];
  const links: ResultingLink[] = [];
  /** The groups each pupil keeps, by ELEVE_ID (the SIECLE links the full replacement does not remove). */
  const keptByPupil = new Map<string, Set<string>>();
  const anomalies: Anomaly[] = [];

  for (const entry of file.pupils) {
    const subject = { pupilId: entry.id.value, ...(fileName && { file: fileName }), ...(entry.line !== undefined && { line: entry.line }) };
    const displayName = `${entry.lastName} ${entry.firstName}`.trim();
    const outcome = (cls: PupilOutcome['class'], found: SieclePupil | undefined, list: Anomaly[]): void => {
      pupils.push({ sentId: entry.id, ...(found && { eleveId: found.eleveId }), displayName, class: cls, anomalies: list, ...(entry.line !== undefined && { line: entry.line }) });
      anomalies.push(...list);
    };
    const who = [entry.lastName, entry.firstName, entry.birthDate, entry.id.value] as const;

    if (!entry.id.value && !entry.lastName) {
      outcome('REJ_ELGRP', undefined, [anomaly('REJELEGROUPE_02', 'REJEL', subject)]);
      continue;
    }
    const result = index.lookup(entry);
    if (!result.found) {
      const code = result.reason === 'homonyms' ? 'REJELEGROUPE_03' : 'REJELEGROUPE_01';
      outcome('REJ_ELGRP', undefined, [anomaly(code, 'REJEL', subject, ...who)]);
      continue;
    }
    const pupil = result.found;
    const pupilSubject = { ...subject, pupilId: pupil.eleveId };
    if (processed.has(pupil.eleveId)) {
      outcome('REJ_ELGRP', pupil, [anomaly('REJELEGROUPE_03', 'REJEL', pupilSubject, ...who)]);
      continue;
    }
    processed.add(pupil.eleveId);
    if (knownGroups && !pupil.mef) {
      outcome('REJ_ELGRP', pupil, [anomaly('GROUPE_B_01', 'GROUPE', pupilSubject)]);
      continue;
    }

    const list: Anomaly[] = [];
    const seenCodes = new Set<string>();
    const keptCodes = new Set<string>();
    for (const g of entry.groups) {
      if (seenCodes.has(g.code)) continue; // the schema forbids a group twice per pupil; SIECLE keeps one
      seenCodes.add(g.code);
      if (knownGroups) {
        const mefs = knownGroups.get(g.code);
        if (!mefs) {
          list.push(anomaly('GROUPE_A_01', 'GROUPE', { ...pupilSubject, groupCode: g.code }, g.code));
          continue;
        }
        if (mefs.size > 0 && !mefs.has(pupil.mef ?? '')) {
          list.push(anomaly('GROUPE_B_02', 'GROUPE', { ...pupilSubject, groupCode: g.code }, g.code, pupil.mef ?? ''));
          continue;
        }
      }
      links.push(linkWithDates(g, pupil, period, pupilSubject, list));
      keptCodes.add(g.code);
    }
    keptByPupil.set(pupil.eleveId, keptCodes);
    outcome(keptCodes.size === 0 ? 'REJ_ELGRP' : list.length > 0 ? 'PAR' : 'REINIT_ELGRP', pupil, list);
  }

  if (!context.structures) {
    anomalies.push({
      code: 'STRUCTURES_ABSENTES',
      level: 'info',
      message: "Export Structures de SIECLE non fourni : l'existence des groupes et leur rattachement aux MEF n'ont pas été vérifiés.",
      ...(fileName && { subject: { file: fileName } }),
    });
  }

  let removedLinks = 0;
  for (const p of context.eleves.pupils) {
    const keptCodes = keptByPupil.get(p.eleveId);
    for (const g of p.groups) if (!keptCodes?.has(g)) removedLinks++;
  }

  const count = (c: PupilClass): number => pupils.filter((p) => p.class === c).length;
  const counts: EleGroupeCounts = {
    read: file.pupils.length,
    imported: count('REINIT_ELGRP'),
    partial: count('PAR'),
    rejected: count('REJ_ELGRP'),
    absent: context.eleves.pupils.filter((p) => !processed.has(p.eleveId)).length,
  };
  return { uai, millesime, period, counts, pupils, links, removedLinks, anomalies };
}

/** The family line SIECLE prints above a detail code (GROUPE, ELEGRP), or the pupil-class label. */
export function familyMessage(family: string): string | undefined {
  if (family === 'GROUPE' || family === 'ELEGRP') return SIECLE_MESSAGES[family];
  if (family === 'REJEL') return SIECLE_MESSAGES.REJET_ELEGROUPE;
  return undefined;
}
