// School calendars: which school year a school is in on a given day, the millésime each
// application gives that year, which SIECLE bases accept files on a business date, and the
// "période scolaire autorisée". Pure: the business date is always an argument, never the clock.
// Every assumption is in calendar-table.ts; this file only applies the table.
import type { IsoDate, SiecleCommuns, SieclePeriod } from '../formats/types.js';
import { uaiDepartment, uaiProblem } from '../formats/uai.js';
import { DEFAULT_CALENDAR_TABLE } from './calendar-table.js';
import type { Application, CalendarTable, CalendarZone, DateRule } from './calendar-table.js';
import { addDays, addMonths, daysBetween, isoDate, weekday, yearOf } from './dates.js';

export type { Application, CalendarTable, CalendarZone } from './calendar-table.js';
export { DEFAULT_CALENDAR_TABLE } from './calendar-table.js';

export interface CalendarOptions {
  /** Replaces the default académie table (tests, or a DANE's own dates). */
  table?: CalendarTable;
}

export interface SchoolYear {
  zone: CalendarZone;
  /** Calendar year of the pupils' rentrée. */
  rentreeYear: number;
  /** DATE_DEB_ELEVE. */
  start: IsoDate;
  /** DATE_FIN_ELEVE: end of the "période scolaire autorisée". */
  end: IsoDate;
  /** Rentrée of the following year: this year is the one in use until the day before. */
  nextStart: IsoDate;
  source: 'communs' | 'table';
}

export interface AuthorisedPeriod {
  start: IsoDate;
  end: IsoDate;
  source: 'communs' | 'table';
}

/** A UAI problem in French (shape or check letter), or undefined when the UAI is valid. */
export function uaiCalendarProblem(uai: string): string | undefined {
  return uaiProblem(uai);
}

export function calendarZone(uai: string, options: CalendarOptions = {}): CalendarZone {
  const table = options.table ?? DEFAULT_CALENDAR_TABLE;
  return table.departments[uaiDepartment(uai)] ?? 'metropole';
}

function applyRule(rule: DateRule, rentreeYear: number): IsoDate {
  let date = isoDate(rentreeYear + rule.yearOffset, rule.month, rule.day);
  if (rule.weekday !== undefined) {
    const step = rule.direction === 'onOrBefore' ? -1 : 1;
    while (weekday(date) !== rule.weekday) date = addDays(date, step);
  }
  return date;
}

function bounds(zone: CalendarZone, rentreeYear: number, table: CalendarTable): { start: IsoDate; end: IsoDate } {
  const known = table.knownYears[zone]?.[rentreeYear];
  if (known) return known;
  const z = table.zones[zone];
  return { start: applyRule(z.rentree, rentreeYear), end: applyRule(z.sortie, rentreeYear) };
}

/** The school year whose rentrée falls in `rentreeYear`, from the table. */
export function schoolYearStartingIn(uai: string, rentreeYear: number, options: CalendarOptions = {}): SchoolYear {
  const table = options.table ?? DEFAULT_CALENDAR_TABLE;
  const zone = calendarZone(uai, options);
  const { start, end } = bounds(zone, rentreeYear, table);
  return { zone, rentreeYear, start, end, nextStart: bounds(zone, rentreeYear + 1, table).start, source: 'table' };
}

/** The school year in use on `date`: from its rentrée to the day before the next rentrée. */
export function schoolYearOn(uai: string, date: IsoDate, options: CalendarOptions = {}): SchoolYear {
  const sameYear = schoolYearStartingIn(uai, yearOf(date), options);
  return date >= sameYear.start ? sameYear : schoolYearStartingIn(uai, yearOf(date) - 1, options);
}

/** The millésime an application writes in its files for that school year. */
export function millesimeOf(application: Application, year: SchoolYear, options: CalendarOptions = {}): number {
  const table = options.table ?? DEFAULT_CALENDAR_TABLE;
  return year.rentreeYear + table.zones[year.zone].millesimeOffset[application];
}

/** The school year an application means by a millésime (inverse of millesimeOf). */
export function schoolYearOfMillesime(application: Application, uai: string, millesime: number, options: CalendarOptions = {}): SchoolYear {
  const table = options.table ?? DEFAULT_CALENDAR_TABLE;
  const zone = calendarZone(uai, options);
  return schoolYearStartingIn(uai, millesime - table.zones[zone].millesimeOffset[application], options);
}

/**
 * The first day the school year of a SIECLE millésime is no longer the one in use: the next
 * rentrée (the long-lived school-year workflow ends there).
 */
export function schoolYearEnd(uai: string, millesime: number, options: CalendarOptions = {}): IsoDate {
  return schoolYearOfMillesime('siecle', uai, millesime, options).nextStart;
}

/** schoolYearEnd of each school, for an académie's run: its schools' years need no activity to learn it. */
export function schoolYearEnds(uais: readonly string[], millesime: number, options: CalendarOptions = {}): Record<string, IsoDate> {
  return Object.fromEntries(uais.map((uai) => [uai, schoolYearEnd(uai, millesime, options)]));
}

/** How the application names the year: "2017-2018" (SIECLE in NC for Feb–Dec 2018). */
export function yearLabel(application: Application, year: SchoolYear, options: CalendarOptions = {}): string {
  const m = millesimeOf(application, year, options);
  return `${m}-${m + 1}`;
}

export interface SiecleBases {
  /** Millésime of the base of the year in use. */
  current: number;
  /** Millésime of the next year's base, when it is already open (from May in metropolitan France). */
  next?: number;
  /** Every millésime a deposit may carry on that date. */
  accepted: number[];
}

/** The date the next SIECLE base opens, for the year following `year`. */
export function nextBaseOpening(year: SchoolYear, options: CalendarOptions = {}): IsoDate {
  const table = options.table ?? DEFAULT_CALENDAR_TABLE;
  const lead = table.zones[year.zone].nextBaseLeadMonths;
  return addMonths(`${year.nextStart.slice(0, 8)}01`, -lead);
}

/** The SIECLE bases in use on a business date: from May to the rentrée, the current and the next coexist. */
export function siecleBasesOn(uai: string, date: IsoDate, options: CalendarOptions = {}): SiecleBases {
  const year = schoolYearOn(uai, date, options);
  const current = millesimeOf('siecle', year, options);
  if (date >= nextBaseOpening(year, options)) return { current, next: current + 1, accepted: [current, current + 1] };
  return { current, accepted: [current] };
}

/**
 * The "période scolaire autorisée" of a SIECLE millésime: DATE_DEB_ELEVE → DATE_FIN_ELEVE of the
 * school's Communs.xml when it is that year's export, else the table.
 */
export function authorisedPeriod(uai: string, siecleMillesime: number, options: CalendarOptions & { communs?: SiecleCommuns } = {}): AuthorisedPeriod {
  const communs = options.communs;
  if (communs && communs.header.millesime === siecleMillesime) {
    return { start: communs.schoolYear.start, end: communs.schoolYear.end, source: 'communs' };
  }
  if (communs?.previousYear && communs.header.millesime === siecleMillesime + 1) {
    return { start: communs.previousYear.start, end: communs.previousYear.end, source: 'communs' };
  }
  const year = schoolYearOfMillesime('siecle', uai, siecleMillesime, options);
  return { start: year.start, end: year.end, source: 'table' };
}

/**
 * The periods of a school year: those of Communs.xml when given, else the table's default count
 * of equal periods (an assumption, see calendar-table.ts). Codes are T1…T3 / S1…S2.
 */
export function periodsOf(period: AuthorisedPeriod, options: CalendarOptions & { communs?: SiecleCommuns; zone?: CalendarZone } = {}): SieclePeriod[] {
  if (options.communs && options.communs.periods.length > 0 && period.source === 'communs') return options.communs.periods;
  const table = options.table ?? DEFAULT_CALENDAR_TABLE;
  const count = table.zones[options.zone ?? 'metropole'].defaultPeriodCount;
  const total = daysBetween(period.start, period.end) + 1;
  const prefix = count === 2 ? 'S' : 'T';
  const periods: SieclePeriod[] = [];
  let start = period.start;
  for (let i = 1; i <= count; i++) {
    const end = i === count ? period.end : addDays(period.start, Math.round((total * i) / count) - 1);
    periods.push({ code: `${prefix}${i}`, label: `Période ${i}`, start, end, index: i, type: prefix });
    start = addDays(end, 1);
  }
  return periods;
}
