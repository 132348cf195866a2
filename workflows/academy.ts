// An académie's run: one child workflow per school (its year, or its term), at most `concurrency`
// at a time (a sliding window: each school is over when it signals that its chain has been through
// once, or when its workflow closes: completed, failed, terminated, cancelled or timed out),
// continuing as new every `pageSize` schools so that thousands fit in bounded histories
// (Temporal's batch-sliding-window sample). Children are abandoned, not terminated, when this run
// continues as new; since the académie can wait only on the results of children it started, a run
// continues as new only once its window is empty (never with a school it could not hear end).
import {
  allHandlersFinished,
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  CancelledFailure,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { schoolYearWorkflowId, termWorkflowId } from './ids';
import { schoolDone } from './messages';
import type { ChainInput } from './chain-runner';
import { schoolYear, type SchoolRunResult } from './school-year';
import { schoolAttributes } from './search-attributes';
import { term } from './term';

export interface AcademyInput extends Omit<ChainInput, 'uai'> {
  academie: string;
  kind: 'year' | 'term';
  /** Schools still to start, in order. */
  uais: string[];
  /**
   * Years: the first day each school's year is over (rules/calendar.ts schoolYearEnd), worked out
   * by whoever starts the run, so that each year is started knowing it instead of asking an
   * activity (a task for the server to schedule and dispatch, and a workflow task to take its
   * result, for every school). A school missing here asks, as a year started alone does.
   */
  yearEnds?: Record<string, string>;
  concurrency?: number;
  pageSize?: number;
  /** Carried over by continue-as-new. */
  carried?: { inFlight: string[]; succeeded: number; failed: number; alreadyRunning: number; failures?: SchoolFailure[] };
}

/** A school counted failed without its chain saying so: its workflow ended badly, or never started. */
export interface SchoolFailure {
  uai: string;
  /** terminated, cancelled, timed-out, failed (the workflow itself), not-started. */
  cause: 'terminated' | 'cancelled' | 'timed-out' | 'failed' | 'not-started';
}

/** At most this many failures are listed in the result (all are counted). */
export const MAX_LISTED_FAILURES = 200;

/** Académie runs started before they waited on their children's results keep their old behaviour. */
export const ACADEMY_CHILDREN_PATCH = 'academy-waits-on-children';

export interface AcademyResult {
  academie: string;
  millesime: number;
  succeeded: number;
  failed: number;
  alreadyRunning: number;
  failures?: SchoolFailure[];
}

function causeOf(error: unknown): SchoolFailure['cause'] {
  if (!(error instanceof ChildWorkflowFailure)) return 'failed';
  if (error.cause instanceof TerminatedFailure) return 'terminated';
  if (error.cause instanceof CancelledFailure) return 'cancelled';
  if (error.cause instanceof TimeoutFailure) return 'timed-out';
  return 'failed';
}

export async function academy(input: AcademyInput): Promise<AcademyResult> {
  const concurrency = Math.max(1, input.concurrency ?? 20);
  const pageSize = Math.max(concurrency, input.pageSize ?? 500);
  const { failures: carriedFailures, ...carriedCounts } = input.carried ?? {};
  const counts = { succeeded: 0, failed: 0, alreadyRunning: 0, ...carriedCounts };
  const failures: SchoolFailure[] = [...(carriedFailures ?? [])];
  const inFlight = new Set(input.carried?.inFlight ?? []);
  const settle = (uai: string, ok: boolean, cause?: SchoolFailure['cause']): void => {
    if (!inFlight.delete(uai)) return;
    if (ok) counts.succeeded += 1;
    else counts.failed += 1;
    if (cause && failures.length < MAX_LISTED_FAILURES) failures.push({ uai, cause });
  };
  setHandler(schoolDone, ({ uai, ok }) => settle(uai, ok));
  const waitsOnChildren = patched(ACADEMY_CHILDREN_PATCH);

  const parentWorkflowId = workflowInfo().workflowId;
  const pending = [...input.uais];
  const { uais: _uais, carried: _carried, concurrency: _c, pageSize: _p, kind, yearEnds, ...common } = input;
  let started = 0;
  while (pending.length > 0) {
    await condition(() => inFlight.size < concurrency);
    if (started >= pageSize) {
      if (waitsOnChildren) await condition(() => inFlight.size === 0);
      await condition(allHandlersFinished);
      await continueAsNew<typeof academy>({
        ...input,
        uais: pending,
        // Only the schools still to start: the next run's input stays the size of what is left.
        ...(yearEnds && { yearEnds: Object.fromEntries(pending.filter((p) => yearEnds[p] !== undefined).map((p) => [p, yearEnds[p]!])) }),
        carried: { inFlight: [...inFlight], succeeded: counts.succeeded, failed: counts.failed, alreadyRunning: counts.alreadyRunning, ...(waitsOnChildren && { failures }) },
      });
    }
    const uai = pending.shift()!;
    // Counted before it starts: its "done" signal may arrive in the same activation.
    inFlight.add(uai);
    started += 1;
    const options = {
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    };
    const yearEnd = kind === 'year' ? yearEnds?.[uai] : undefined;
    const childInput = { ...common, uai, academie: input.academie, parentWorkflowId, ...(yearEnd !== undefined && { yearEnd }) };
    const period = input.period ?? 1;
    if (!waitsOnChildren) {
      try {
        if (kind === 'term') await startChild(term, { ...options, workflowId: termWorkflowId(uai, input.millesime, period), args: [{ ...childInput, period }] });
        else await startChild(schoolYear, { ...options, workflowId: schoolYearWorkflowId(uai, input.millesime), args: [childInput] });
      } catch {
        inFlight.delete(uai);
        counts.alreadyRunning += 1;
      }
      continue;
    }
    let child: { result(): Promise<SchoolRunResult> };
    try {
      child = kind === 'term'
        ? await startChild(term, { ...options, workflowId: termWorkflowId(uai, input.millesime, period), args: [{ ...childInput, period }] })
        : await startChild(schoolYear, { ...options, workflowId: schoolYearWorkflowId(uai, input.millesime), typedSearchAttributes: schoolAttributes(childInput), args: [childInput] });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        // Already running (started by hand, or by an earlier académie run): not ours to count.
        inFlight.delete(uai);
        counts.alreadyRunning += 1;
      } else {
        settle(uai, false, 'not-started');
      }
      continue;
    }
    // Whichever comes first: the school's signal (its chain went through once) or its end.
    child.result().then(
      (result) => settle(uai, result.steps.every((s) => s.status === 'succeeded' || s.status === 'succeeded-with-anomalies')),
      (error: unknown) => settle(uai, false, causeOf(error)),
    );
  }
  await condition(() => inFlight.size === 0);
  return {
    academie: input.academie, millesime: input.millesime, succeeded: counts.succeeded, failed: counts.failed, alreadyRunning: counts.alreadyRunning,
    ...(waitsOnChildren && { failures }),
  };
}
