// The académie calendar table: DATA, not logic. Every calendar assumption of the project lives here
// (and only here), so that a real file or a DANE correction changes one line. rules/calendar.ts
// reads it; callers may pass their own table (same shape) to override any entry.
//
// Sources and status of each fact:
// - Metropolitan SIECLE year 2017 = 04/09/2017 → 31/08/2018 (real SIECLE compte-rendu, shared
//   formats/siecle-import-prive); millésime = calendar year of the pupils' rentrée (official spec).
// - Nouvelle-Calédonie school year 2018 = 19/02/2018 → 14/12/2018 (seed 004), called "ANNEE
//   2017-2018" by SIECLE (élève-groupe millésime 2017) and "2018-2019" by STS-Web
//   (sts_emp_9830418M_2018.xml): SIECLE millésime = year − 1, STS-Web millésime = year (seed 004).
// - Wallis-et-Futuna (986) follows Nouvelle-Calédonie: ASSUMED (DOMAIN.md).
// - The next SIECLE base opens in May in metropolitan France (DOMAIN.md) and coexists with the
//   current one until the rentrée. For the other zones we ASSUME the same lead time (4 months
//   before the rentrée month), which for Nouvelle-Calédonie gives October; seed 004 is consistent
//   with it (in July 2018 a file of millésime 2018 is refused: only the 2017 base is in use).
// - LSU and PRONOTE use the SIECLE millésime (they are fed by SIECLE; seed 004 shows PRONOTE
//   writing 2017 in NC): ASSUMED for LSU in the southern zone. EDT's only dated file, emp_sts, is
//   imported by STS-Web after EDT read sts_emp_<UAI>_2018: it carries STS-Web's millésime (ASSUMED).
// - Rentrée / sortie rules below reproduce the dated examples; the weekday rules for other years
//   are ASSUMPTIONS (a school's Communs.xml, when given, always wins over this table).
// - La Réunion / Mayotte (974, 976) start mid-August with the metropolitan millésime rule: ASSUMED.
// - Periods: without Communs.xml, three trimesters splitting the year evenly: ASSUMED.

export type CalendarZone = 'metropole' | 'pacifique-sud' | 'ocean-indien';

/** Applications whose files carry a millésime. */
export type Application = 'siecle' | 'sts-web' | 'edt' | 'pronote' | 'lsu';

/** A date of a school year, relative to the calendar year in which the year starts. */
export interface DateRule {
  month: number;
  day: number;
  /** 0 when in the start year, 1 when in the following calendar year. */
  yearOffset: 0 | 1;
  /** Move to this weekday (0 = Sunday … 6 = Saturday), searching in `direction`. */
  weekday?: number;
  direction?: 'onOrAfter' | 'onOrBefore';
}

export interface ZoneCalendar {
  label: string;
  /** DATE_DEB_ELEVE of the SIECLE school year. */
  rentree: DateRule;
  /** DATE_FIN_ELEVE of the SIECLE school year (end of the "période scolaire autorisée"). */
  sortie: DateRule;
  /** millésime = calendar year of the rentrée + offset, per application. */
  millesimeOffset: Record<Application, number>;
  /** The next SIECLE base opens on the 1st of the month this many months before the rentrée month. */
  nextBaseLeadMonths: number;
  /** Number of periods when the school's Communs.xml does not give them. */
  defaultPeriodCount: number;
}

export interface CalendarTable {
  zones: Record<CalendarZone, ZoneCalendar>;
  /** UAI département (3 first characters) → zone; any other département is metropolitan. */
  departments: Record<string, CalendarZone>;
  /**
   * Known school years, by zone and calendar year of the rentrée: they win over the rules above.
   * Keys are the rentrée year (not a millésime, which differs between applications).
   */
  knownYears: Partial<Record<CalendarZone, Record<number, { start: string; end: string }>>>;
}

const SIECLE_METROPOLITAN_RULE: Record<Application, number> = { siecle: 0, 'sts-web': 0, edt: 0, pronote: 0, lsu: 0 };

export const DEFAULT_CALENDAR_TABLE: CalendarTable = {
  zones: {
    metropole: {
      label: 'Métropole et DROM (hors océan Indien)',
      // First Monday of September (04/09/2017).
      rentree: { month: 9, day: 1, yearOffset: 0, weekday: 1, direction: 'onOrAfter' },
      sortie: { month: 8, day: 31, yearOffset: 1 },
      millesimeOffset: SIECLE_METROPOLITAN_RULE,
      nextBaseLeadMonths: 4,
      defaultPeriodCount: 3,
    },
    'pacifique-sud': {
      label: 'Nouvelle-Calédonie, Wallis-et-Futuna (année février–décembre)',
      // Monday on or after 13 February (19/02/2018, 13/02/2023, 16/02/2026).
      rentree: { month: 2, day: 13, yearOffset: 0, weekday: 1, direction: 'onOrAfter' },
      // Friday on or before 15 December (14/12/2018).
      sortie: { month: 12, day: 15, yearOffset: 0, weekday: 5, direction: 'onOrBefore' },
      millesimeOffset: { siecle: -1, 'sts-web': 0, edt: 0, pronote: -1, lsu: -1 },
      nextBaseLeadMonths: 4,
      defaultPeriodCount: 3,
    },
    'ocean-indien': {
      label: 'La Réunion, Mayotte (rentrée mi-août)',
      rentree: { month: 8, day: 16, yearOffset: 0 },
      sortie: { month: 7, day: 31, yearOffset: 1 },
      millesimeOffset: SIECLE_METROPOLITAN_RULE,
      nextBaseLeadMonths: 4,
      defaultPeriodCount: 3,
    },
  },
  departments: { '983': 'pacifique-sud', '986': 'pacifique-sud', '974': 'ocean-indien', '976': 'ocean-indien' },
  knownYears: {
    metropole: { 2017: { start: '2017-09-04', end: '2018-08-31' } },
    'pacifique-sud': { 2018: { start: '2018-02-19', end: '2018-12-14' } },
  },
};
