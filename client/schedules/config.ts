// An académie's schedule plan from what the database knows: its schools, and the calendar of the
// first one (all schools of an académie share a zone) for the year in use on the given date.
import type { Db } from '../../db/client';
import { listSchools } from '../../db/queries/schools';
import { authorisedPeriod, calendarZone, millesimeOf, periodsOf, schoolYearOfMillesime, schoolYearOn } from '../../rules/calendar';
import { timeZoneOf } from '../../rules/time-zones';
import type { AcademyScheduleConfig } from './plan';

export interface ScheduleScope {
  academie?: string;
  /** SIECLE millésime; default: the year in use on `on`. */
  millesime?: number;
  /** Business date YYYY-MM-DD. */
  on: string;
  taskQueue: string;
}

export async function academyScheduleConfigs(db: Db, scope: ScheduleScope): Promise<AcademyScheduleConfig[]> {
  const byAcademie = new Map<string, string[]>();
  for (const school of await listSchools(db)) {
    if (scope.academie && school.academie !== scope.academie) continue;
    byAcademie.set(school.academie, [...(byAcademie.get(school.academie) ?? []), school.uai]);
  }
  return [...byAcademie].sort().map(([academie, uais]) => {
    const first = uais[0]!;
    const millesime = scope.millesime ?? millesimeOf('siecle', schoolYearOn(first, scope.on));
    const year = schoolYearOfMillesime('siecle', first, millesime);
    const period = authorisedPeriod(first, millesime);
    return {
      academie,
      timeZone: timeZoneOf(first),
      millesime,
      uais,
      schoolYear: { start: year.start, end: year.end },
      periodEnds: periodsOf(period, { zone: calendarZone(first) }).map((p) => p.end),
      // Closures come from a school's Communs.xml when there is one; none are assumed here.
      closures: [],
      taskQueue: scope.taskQueue,
    };
  });
}
