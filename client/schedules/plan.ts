// What an académie's schedules should be (pure): the nightly élève-groupe job at 22:30 local time
// from the rentrée to the end of the school year, skipping closures; the term run at the end of
// each period; the school-year chain at the rentrée. Temporal Schedules, not cron workflows.
import type { CalendarSpec, ScheduleOptions } from '@temporalio/client';
import { MONTHS, ScheduleOverlapPolicy } from '@temporalio/client';
import { schoolYearEnds } from '../../rules/calendar';
import { academyWorkflowId, nightlyWorkflowId } from '../../workflows/ids';

export interface AcademyScheduleConfig {
  academie: string;
  timeZone: string;
  millesime: number;
  uais: string[];
  /** The school year's bounds (YYYY-MM-DD), inclusive. */
  schoolYear: { start: string; end: string };
  /** Last day of each period, in order (YYYY-MM-DD). */
  periodEnds: string[];
  /** Closures (holidays) during which the nightly job does not run. */
  closures: { start: string; end: string }[];
  nightlyAt?: { hour: number; minute: number };
  taskQueue: string;
}

const scheduleId = (config: AcademyScheduleConfig, what: string): string => `synchro/${config.academie}/${config.millesime}/${what}`;

function day(date: string): { year: number; month: (typeof MONTHS)[number]; dayOfMonth: number } {
  const [year, month, dayOfMonth] = date.split('-').map(Number) as [number, number, number];
  return { year, month: MONTHS[month - 1]!, dayOfMonth };
}

/** A closure as skip specs: one per month it touches, every second of those days. */
export function closureSkips(closure: { start: string; end: string }): CalendarSpec[] {
  const specs: CalendarSpec[] = [];
  let cursor = closure.start;
  while (cursor <= closure.end) {
    const { year, month } = day(cursor);
    const monthIndex = MONTHS.indexOf(month) + 1;
    const lastOfMonth = new Date(Date.UTC(year, monthIndex, 0)).toISOString().slice(0, 10);
    const until = closure.end < lastOfMonth ? closure.end : lastOfMonth;
    specs.push({ year, month, dayOfMonth: { start: day(cursor).dayOfMonth, end: day(until).dayOfMonth }, hour: '*', minute: '*', second: '*', comment: 'fermeture' });
    cursor = new Date(Date.UTC(year, monthIndex, 1)).toISOString().slice(0, 10);
  }
  return specs;
}

/** Midnight at the start of a local day, as an instant (startAt/endAt are instants). */
function localMidnight(date: string, timeZone: string, endOfDay = false): Date {
  const utc = new Date(`${date}T${endOfDay ? '23:59:59' : '00:00:00'}Z`);
  const shown = new Date(utc.toLocaleString('en-US', { timeZone }));
  const asUtc = new Date(utc.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(utc.getTime() - (shown.getTime() - asUtc.getTime()));
}

export function academySchedules(config: AcademyScheduleConfig): ScheduleOptions[] {
  const { hour, minute } = config.nightlyAt ?? { hour: 22, minute: 30 };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' };
  const common = { academie: config.academie, millesime: config.millesime, uais: config.uais };
  const nightly: ScheduleOptions = {
    scheduleId: scheduleId(config, 'nightly-elegroupe'),
    spec: {
      calendars: [{ hour, minute, comment: 'traitement de nuit des liens élève-groupe' }],
      timezone: config.timeZone,
      startAt: localMidnight(config.schoolYear.start, config.timeZone),
      endAt: localMidnight(config.schoolYear.end, config.timeZone, true),
      skip: config.closures.flatMap(closureSkips),
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'nightlyEleGroupe',
      workflowId: nightlyWorkflowId(`${config.academie}`),
      taskQueue: config.taskQueue,
      args: [{ timeZone: config.timeZone, uais: config.uais }],
    },
    policies,
    state: { note: `Nuit SIECLE de l'académie ${config.academie}` },
  };
  const terms: ScheduleOptions[] = config.periodEnds.map((end, index) => ({
    scheduleId: scheduleId(config, `term-${index + 1}`),
    spec: { calendars: [{ ...day(end), hour: 18, minute: 0, comment: `fin de la période ${index + 1}` }], timezone: config.timeZone },
    action: {
      type: 'startWorkflow',
      workflowType: 'academy',
      workflowId: academyWorkflowId(config.academie, config.millesime, 'term', index + 1),
      taskQueue: config.taskQueue,
      args: [{ ...common, kind: 'term', period: index + 1, businessDate: end }],
    },
    policies,
    state: { note: `Bilans LSU de la période ${index + 1}` },
  }));
  const year: ScheduleOptions = {
    scheduleId: scheduleId(config, 'year'),
    spec: { calendars: [{ ...day(config.schoolYear.start), hour: 6, minute: 0, comment: 'rentrée' }], timezone: config.timeZone },
    action: {
      type: 'startWorkflow',
      workflowType: 'academy',
      workflowId: academyWorkflowId(config.academie, config.millesime, 'year'),
      taskQueue: config.taskQueue,
      args: [{ ...common, kind: 'year', businessDate: config.schoolYear.start, yearEnds: schoolYearEnds(config.uais, config.millesime) }],
    },
    policies,
    state: { note: `Chaîne annuelle ${config.millesime}` },
  };
  return [year, nightly, ...terms];
}
