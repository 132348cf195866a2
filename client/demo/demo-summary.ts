// What the demo proves, read back from the database: every school's steps (the `status --json`
// shape) and, for each fault injected on purpose, whether a step reported it (same code or LSU
// label, same pupil ELEVE_ID / teacher id).
import type { ProvisionedSchool } from '../../connectors';
import type { Db } from '../../db/client';
import { listAnomaliesByRun } from '../../db/queries/anomalies';
import type { AnomalyRow } from '../../db/schema';
import type { InjectedFault } from '../../generators';
import type { StepId, StepStatus } from '../../workflows/steps';
import { schoolStatuses, type SchoolStatus } from '../actions/school-status';

export const FINAL_STATUSES: ReadonlySet<StepStatus> = new Set(['succeeded', 'succeeded-with-anomalies', 'failed', 'blocked']);

export interface InjectedFaultOutcome {
  kind: InjectedFault['kind'];
  file: InjectedFault['file'];
  code: string;
  eleveId?: string;
  teacherId?: string;
  /** The step whose report holds it; null when no step reported it. */
  reportedBy: string | null;
}

export interface DemoSchoolSummary extends SchoolStatus {
  injected: InjectedFaultOutcome[];
}

export interface DemoSummary {
  schools: DemoSchoolSummary[];
  /** Every step of every school in a final state (succeeded, with anomalies, failed, blocked), except those that do not concern it. */
  allFinal: boolean;
  /** Every injected fault reported by a step. */
  allReported: boolean;
}

function reports(anomaly: AnomalyRow, fault: InjectedFault): boolean {
  if (anomaly.code !== fault.code && anomaly.label !== fault.code) return false;
  const subject = anomaly.subject ?? {};
  if (fault.eleveId !== undefined && subject.pupilId !== fault.eleveId) return false;
  if (fault.teacherId !== undefined && subject.teacherId !== undefined && !subject.teacherId.endsWith(fault.teacherId)) return false;
  return true;
}

export async function demoSummary(db: Db, provisioned: readonly ProvisionedSchool[], notApplicable: (uai: string) => StepId[] = () => []): Promise<DemoSummary> {
  const schools: DemoSchoolSummary[] = [];
  for (const school of provisioned) {
    const [status] = await schoolStatuses(db, { uai: school.uai });
    if (!status) continue;
    const anomalies = new Map<string, AnomalyRow[]>();
    for (const cell of status.steps) if (cell.stepRunId !== null) anomalies.set(cell.step, await listAnomaliesByRun(db, cell.stepRunId));
    const injected = school.injected.map((fault): InjectedFaultOutcome => {
      const step = [...anomalies].find(([, rows]) => rows.some((a) => reports(a, fault)))?.[0] ?? null;
      return {
        kind: fault.kind, file: fault.file, code: fault.code, reportedBy: step,
        ...(fault.eleveId !== undefined && { eleveId: fault.eleveId }), ...(fault.teacherId !== undefined && { teacherId: fault.teacherId }),
      };
    });
    schools.push({ ...status, injected });
  }
  return {
    schools,
    allFinal: schools.every((s) => s.steps.every((c) => (c.status === null ? notApplicable(s.uai).includes(c.step) : FINAL_STATUSES.has(c.status)))),
    allReported: schools.every((s) => s.injected.every((f) => f.reportedBy !== null)),
  };
}
