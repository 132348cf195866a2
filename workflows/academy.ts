// An académie's run: one child workflow per school (its year, or its term), at most `concurrency`
// at a time (a sliding window: each school signals when it is over), continuing as new every
// `pageSize` schools so that thousands fit in bounded histories (Temporal's batch-sliding-window
// sample). Children are abandoned, not terminated, when this run continues as new.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  setHandler,
  startChild,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import { schoolYearWorkflowId, termWorkflowId } from './ids';
import { schoolDone } from './messages';
import type { ChainInput } from './chain-runner';
import { schoolYear } from './school-year';
import { term } from './term';

export interface AcademyInput extends Omit<ChainInput, 'uai'> {
  academie: string;
  kind: 'year' | 'term';
  /** Schools still to start, in order. */
  uais: string[];
  concurrency?: number;
  pageSize?: number;
  /** Carried over by continue-as-new. */
  carried?: { inFlight: string[]; succeeded: number; failed: number; alreadyRunning: number };
}

export interface AcademyResult {
  academie: string;
  millesime: number;
  succeeded: number;
  failed: number;
  alreadyRunning: number;
}

export async function academy(input: AcademyInput): Promise<AcademyResult> {
  const concurrency = Math.max(1, input.concurrency ?? 20);
  const pageSize = Math.max(concurrency, input.pageSize ?? 500);
  const counts = { succeeded: 0, failed: 0, alreadyRunning: 0, ...input.carried };
  const inFlight = new Set(input.carried?.inFlight ?? []);
  setHandler(schoolDone, ({ uai, ok }) => {
    if (!inFlight.delete(uai)) return;
    if (ok) counts.succeeded += 1;
    else counts.failed += 1;
  });

  const parentWorkflowId = workflowInfo().workflowId;
  const pending = [...input.uais];
  const { uais: _uais, carried: _carried, concurrency: _c, pageSize: _p, kind, ...common } = input;
  let started = 0;
  while (pending.length > 0) {
    await condition(() => inFlight.size < concurrency);
    if (started >= pageSize) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof academy>({
        ...input,
        uais: pending,
        carried: { inFlight: [...inFlight], succeeded: counts.succeeded, failed: counts.failed, alreadyRunning: counts.alreadyRunning },
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
    try {
      const childInput = { ...common, uai, academie: input.academie, parentWorkflowId };
      if (kind === 'term') {
        const period = input.period ?? 1;
        await startChild(term, { ...options, workflowId: termWorkflowId(uai, input.millesime, period), args: [{ ...childInput, period }] });
      } else {
        await startChild(schoolYear, { ...options, workflowId: schoolYearWorkflowId(uai, input.millesime), args: [childInput] });
      }
    } catch {
      // Already running (started by hand, or by an earlier académie run): not ours to count.
      inFlight.delete(uai);
      counts.alreadyRunning += 1;
    }
  }
  await condition(() => inFlight.size === 0);
  return { academie: input.academie, millesime: input.millesime, succeeded: counts.succeeded, failed: counts.failed, alreadyRunning: counts.alreadyRunning };
}
