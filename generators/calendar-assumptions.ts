// The generators' own calendar assumptions: only what rules/calendar.ts does not decide (the
// school year, the millésime per application and the periods come from there). Kept here, in one
// place, so that a real Communs.xml can correct them.
import type { IsoDate } from '../formats/types.js';
import type { CalendarZone } from '../rules/calendar.js';
import { addDays } from '../rules/dates.js';

/**
 * Teachers' year (DATE_DEB_PROF / DATE_FIN_PROF). Seed 004 (Nouvelle-Calédonie): pupils
 * 19/02 → 14/12/2018, teachers 16/02 → 15/12/2018, i.e. the Friday before and the day after.
 * Metropolitan: ASSUMED the Friday before the rentrée and the same end (31/08).
 */
export function teacherYear(zone: CalendarZone, start: IsoDate, end: IsoDate): { start: IsoDate; end: IsoDate } {
  return { start: addDays(start, -3), end: zone === 'pacifique-sud' ? addDays(end, 1) : end };
}

/** Collèges work in trimestres; lycées often in semestres (a school's choice): ASSUMED defaults. */
export function defaultPeriodCount(kind: 'college' | 'lycee'): 2 | 3 {
  return kind === 'college' ? 3 : 2;
}

/** Académie of a département, as STS writes it in UAJ/ACADEMIE (codes of the main ones; NC's ASSUMED). */
export const ACADEMIES: Record<string, { code: string; label: string }> = {
  '075': { code: '01', label: 'PARIS' },
  '013': { code: '02', label: 'AIX-MARSEILLE' },
  '033': { code: '04', label: 'BORDEAUX' },
  '059': { code: '09', label: 'LILLE' },
  '069': { code: '10', label: 'LYON' },
  '031': { code: '16', label: 'TOULOUSE' },
  '093': { code: '24', label: 'CRETEIL' },
  '034': { code: '11', label: 'MONTPELLIER' },
  '066': { code: '11', label: 'MONTPELLIER' },
  '038': { code: '08', label: 'GRENOBLE' },
  '974': { code: '28', label: 'LA REUNION' },
  '983': { code: '40', label: 'NOUVELLE-CALEDONIE' },
};
