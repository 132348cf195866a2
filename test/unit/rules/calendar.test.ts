import { describe, expect, it } from 'vitest';
import {
  authorisedPeriod,
  calendarZone,
  DEFAULT_CALENDAR_TABLE,
  millesimeOf,
  nextBaseOpening,
  periodsOf,
  schoolYearOfMillesime,
  schoolYearOn,
  siecleBasesOn,
  uaiCalendarProblem,
  yearLabel,
} from '../../../rules/calendar.js';
import { addDays } from '../../../rules/dates.js';
import type { SiecleCommuns } from '../../../formats/types.js';

const NC = '9830418M';
const PARIS = '0750680G';

describe('calendar: Nouvelle-Calédonie (seed 004)', () => {
  it('runs February–December 2018 and is millésime 2017 in SIECLE, 2018 in STS-Web', () => {
    const year = schoolYearOn(NC, '2018-07-24');
    expect(year.zone).toBe('pacifique-sud');
    expect([year.start, year.end]).toEqual(['2018-02-19', '2018-12-14']);
    expect(millesimeOf('siecle', year)).toBe(2017);
    expect(millesimeOf('pronote', year)).toBe(2017);
    expect(millesimeOf('sts-web', year)).toBe(2018);
    expect(millesimeOf('edt', year)).toBe(2018);
    expect(yearLabel('siecle', year)).toBe('2017-2018');
    expect(yearLabel('sts-web', year)).toBe('2018-2019');
  });

  it('maps SIECLE 2017 and STS-Web 2018 back to the same school year', () => {
    expect(schoolYearOfMillesime('siecle', NC, 2017).start).toBe('2018-02-19');
    expect(schoolYearOfMillesime('sts-web', NC, 2018).start).toBe('2018-02-19');
  });

  it('accepts only the 2017 base in July 2018 (a 2018 file is refused in the seed)', () => {
    expect(siecleBasesOn(NC, '2018-07-24').accepted).toEqual([2017]);
  });

  it('opens the next base four months before the February rentrée and keeps the year until then', () => {
    expect(nextBaseOpening(schoolYearOn(NC, '2018-07-24'))).toBe('2018-10-01');
    expect(siecleBasesOn(NC, '2018-12-20')).toEqual({ current: 2017, next: 2018, accepted: [2017, 2018] });
    expect(siecleBasesOn(NC, '2019-01-31').current).toBe(2017);
    expect(siecleBasesOn(NC, '2019-02-18').accepted).toEqual([2018]);
  });

  it('treats Wallis-et-Futuna like Nouvelle-Calédonie', () => {
    expect(calendarZone('9860001A')).toBe('pacifique-sud');
  });
});

describe('calendar: metropolitan France', () => {
  it('gives the real SIECLE period of 2017: 04/09/2017 → 31/08/2018', () => {
    expect(authorisedPeriod(PARIS, 2017)).toEqual({ start: '2017-09-04', end: '2018-08-31', source: 'table' });
  });

  it('keeps one base until May, two from May to the rentrée, the new one after', () => {
    expect(siecleBasesOn(PARIS, '2019-04-30').accepted).toEqual([2018]);
    expect(siecleBasesOn(PARIS, '2019-05-01').accepted).toEqual([2018, 2019]);
    expect(siecleBasesOn(PARIS, '2019-09-01').accepted).toEqual([2018, 2019]);
    expect(siecleBasesOn(PARIS, '2019-09-02').accepted).toEqual([2019]);
  });

  it('uses the same millésime in every application', () => {
    const year = schoolYearOn(PARIS, '2024-01-15');
    expect(year.rentreeYear).toBe(2023);
    for (const app of ['siecle', 'sts-web', 'lsu', 'pronote', 'edt'] as const) expect(millesimeOf(app, year)).toBe(2023);
  });
});

describe('calendar: période scolaire autorisée and periods', () => {
  const communs: SiecleCommuns = {
    header: { kind: 'siecle-communs', uai: NC, millesime: 2017 },
    school: {},
    schoolYear: { start: '2018-02-20', end: '2018-12-13' },
    previousYear: { start: '2017-02-20', end: '2017-12-15' },
    periods: [{ code: 'S1', start: '2018-02-20', end: '2018-07-01' }, { code: 'S2', start: '2018-07-02', end: '2018-12-13' }],
    closures: [],
  };

  it('prefers the school Communs.xml, including its previous year', () => {
    expect(authorisedPeriod(NC, 2017, { communs })).toEqual({ start: '2018-02-20', end: '2018-12-13', source: 'communs' });
    expect(authorisedPeriod(NC, 2016, { communs }).start).toBe('2017-02-20');
    expect(authorisedPeriod(NC, 2015, { communs }).source).toBe('table');
  });

  it('takes the periods of Communs.xml, else three contiguous trimesters', () => {
    expect(periodsOf(authorisedPeriod(NC, 2017, { communs }), { communs }).map((p) => p.code)).toEqual(['S1', 'S2']);
    const periods = periodsOf(authorisedPeriod(PARIS, 2017));
    expect(periods).toHaveLength(3);
    expect(periods[0]?.start).toBe('2017-09-04');
    expect(periods[2]?.end).toBe('2018-08-31');
    for (let i = 1; i < periods.length; i++) expect(periods[i]?.start).toBe(addDays(periods[i - 1]?.end ?? '', 1));
  });

  it('lets a caller override the table', () => {
    const table = structuredClone(DEFAULT_CALENDAR_TABLE);
    table.knownYears.metropole = { 2030: { start: '2030-09-02', end: '2031-07-04' } };
    expect(authorisedPeriod(PARIS, 2030, { table })).toEqual({ start: '2030-09-02', end: '2031-07-04', source: 'table' });
  });

  it('reports a bad UAI through formats/uai', () => {
    expect(uaiCalendarProblem('9830418M')).toBeUndefined();
    expect(uaiCalendarProblem('9830418A')).toMatch(/lettre clé/);
  });
});
