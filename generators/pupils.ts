// Pupils of a generated school: SIECLE identifiers (ELEVE_ID, INE, ELENOET), names with accents,
// birth dates matching their level, entry and leaving dates, their division and their groups with
// dates inside the school year.
import type { IsoDate } from '../formats/types.js';
import { addDays } from '../rules/dates.js';
import type { Division, Group, GroupMembership, Pupil, SchoolCalendar, SchoolKind } from './model.js';
import { BOYS_FIRST_NAMES, GIRLS_FIRST_NAMES, LAST_NAMES } from './names.js';
import type { Random } from './random.js';

/** Age at the rentrée, per level (6e = 11 … Tle = 17). */
const AGE: Record<number, number> = { 6: 11, 5: 12, 4: 13, 3: 14, 2: 15, 1: 16, 0: 17 };
/** Years already spent in the school at the rentrée (0 for 6e and 2nde). */
const YEARS_IN_SCHOOL: Record<SchoolKind, Record<number, number>> = {
  college: { 6: 0, 5: 1, 4: 2, 3: 3 },
  lycee: { 2: 0, 1: 1, 0: 2 },
};
const INE_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

export interface PupilContext {
  kind: SchoolKind;
  calendar: SchoolCalendar;
  /** DATE_DEB_ELEVE of the years before, by number of years back (1 = last year). */
  previousStart: (yearsBack: number) => IsoDate;
  /** Export date: arrivals and departures happen before it, so that the exports show them. */
  exportDate: IsoDate;
}

/** Unique identifiers, drawn in increasing order from a random start (like a real base). */
export class PupilIds {
  private eleveId: number;
  private elenoet: number;
  private readonly ines = new Set<string>();

  constructor(private readonly rng: Random) {
    this.eleveId = rng.int(1_000_000, 2_000_000);
    this.elenoet = rng.int(10_000, 40_000);
  }

  next(): { eleveId: string; elenoet: string; ine: string } {
    this.eleveId += this.rng.int(1, 97);
    this.elenoet += this.rng.int(1, 3);
    let ine: string;
    do {
      // INE (RNIE shape): 9 digits and 2 letters, 11 characters like the real "070876696HA".
      ine = `${String(this.rng.int(0, 999_999_999)).padStart(9, '0')}${this.rng.pick([...INE_LETTERS])}${this.rng.pick([...INE_LETTERS])}`;
    } while (this.ines.has(ine));
    this.ines.add(ine);
    return { eleveId: String(this.eleveId), elenoet: String(this.elenoet % 100_000).padStart(5, '0'), ine };
  }
}

function birthDate(rng: Random, rentreeYear: number, level: number): IsoDate {
  // 8 % repeated a year: one year older than their classmates.
  const year = rentreeYear - AGE[level]! - (rng.chance(0.08) ? 1 : 0);
  return `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

/** Groups of a pupil of this division: half class, LV2 group of the division's pair, options. */
function chooseGroups(rng: Random, division: Division, index: number, groupsByDivision: Map<string, Group[]>): Group[] {
  const mine = groupsByDivision.get(division.code) ?? [];
  const chosen: Group[] = [];
  const halves = mine.filter((g) => g.purpose === 'half-class');
  if (halves.length > 0) chosen.push(halves[index % halves.length]!);
  const lv2 = mine.filter((g) => g.purpose === 'lv2');
  if (lv2.length > 0) chosen.push(rng.chance(0.6) ? lv2[0]! : lv2[lv2.length - 1]!);
  for (const option of mine.filter((g) => g.purpose === 'option')) if (rng.chance(0.2)) chosen.push(option);
  const specialites = rng.shuffle(mine.filter((g) => g.purpose === 'specialite'));
  const taken = new Set<string>();
  for (const g of specialites) {
    if (taken.size === 3) break;
    if (!taken.has(g.subject)) {
      taken.add(g.subject);
      chosen.push(g);
    }
  }
  return chosen;
}

export function buildPupils(rng: Random, count: number, divisions: Division[], groups: Group[], ctx: PupilContext): Pupil[] {
  const ids = new PupilIds(rng);
  const groupsByDivision = new Map<string, Group[]>();
  for (const g of groups) for (const d of g.divisions) groupsByDivision.set(d, [...(groupsByDivision.get(d) ?? []), g]);
  const { start } = ctx.calendar;
  const rentreeYear = Number(start.slice(0, 4));
  const lateWindow = Math.max(2, Math.min(60, Math.floor((Date.parse(ctx.exportDate) - Date.parse(start)) / 86_400_000) - 2));
  const pupils: Pupil[] = [];
  for (let i = 0; i < count; i++) {
    const division = divisions[Math.floor((i * divisions.length) / count)]!;
    const sex = rng.chance(0.5) ? '2' : '1';
    const years = YEARS_IN_SCHOOL[ctx.kind][division.level] ?? 0;
    // 4 % arrive during the year, 2 % leave before the export: both before the export date.
    const arrivesLate = rng.chance(0.04);
    const entryDate = arrivesLate ? addDays(start, rng.int(1, lateWindow)) : years === 0 ? start : ctx.previousStart(years);
    const leavingDate = !arrivesLate && rng.chance(0.02) ? addDays(start, rng.int(1, lateWindow)) : undefined;
    const groupStart = entryDate > start ? entryDate : start;
    const memberships: GroupMembership[] = chooseGroups(rng, division, i, groupsByDivision).map((g) => ({
      code: g.code,
      start: groupStart,
      ...(leavingDate !== undefined && { end: leavingDate }),
    }));
    const half = memberships.findIndex((m) => /G[12]$/.test(m.code));
    if (half >= 0 && !arrivesLate && leavingDate === undefined && rng.chance(0.03)) {
      // A change of half group during the term: the old link ends the day before the new one starts.
      const switchDay = addDays(start, Math.max(1, Math.floor(lateWindow / 2)));
      const old = memberships[half]!;
      old.end = addDays(switchDay, -1);
      memberships.push({ code: old.code.endsWith('1') ? old.code.replace(/1$/, '2') : old.code.replace(/2$/, '1'), start: switchDay });
    }
    const firstNames = sex === '2' ? GIRLS_FIRST_NAMES : BOYS_FIRST_NAMES;
    pupils.push({
      ...ids.next(),
      lastName: rng.pick(LAST_NAMES),
      firstName: rng.pick(firstNames),
      ...(rng.chance(0.3) && { firstName2: rng.pick(firstNames) }),
      birthDate: birthDate(rng, rentreeYear, division.level),
      sex,
      mef: division.mef,
      entryDate,
      ...(leavingDate !== undefined && { leavingDate }),
      division: division.code,
      groups: memberships,
    });
  }
  return pupils;
}
