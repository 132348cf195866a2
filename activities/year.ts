// When a school's year is over, for the long-lived school-year workflow: the calendar says it
// (rules/calendar.ts: the year of a SIECLE millésime is in use until the day before the next
// rentrée). An activity, so that the workflow bundle stays free of the calendar tables.
import { schoolYearEnd as yearEndOf } from '../rules/calendar';

export function createYearActivities() {
  /** The first day the school year of `millesime` is no longer the one in use (YYYY-MM-DD). */
  function schoolYearEnd(input: { uai: string; millesime: number }): Promise<string> {
    return Promise.resolve(yearEndOf(input.uai, input.millesime));
  }
  return { schoolYearEnd };
}
