// The school year of one school: the whole chain, in order, through retries, restarts and nights,
// and then, until the school year ends, every new file again (workflows/year-runner.ts).
import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, patched, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { YEAR_CHAIN } from './chain';
import { runChain, type ChainInput } from './chain-runner';
import { fileArrived, schoolDone, type StepState } from './messages';
import { schoolAttributes, UAI } from './search-attributes';
import { startReactiveChain, type YearCarried } from './year-runner';

const { schoolYearEnd } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });

/** Years started before the loop (histories without this marker) run the chain once, as they did. */
export const YEAR_LOOP_PATCH = 'school-year-loop';

/** History events a year's run may reach before it continues as new (Temporal warns at 10,240). */
export const YEAR_HISTORY_LIMIT = 4000;

export interface SchoolRunInput extends ChainInput {
  academie?: string;
  /** The académie workflow to tell when this school is over. */
  parentWorkflowId?: string;
  /** The first day the year is over (YYYY-MM-DD); from the calendar when absent. */
  yearEnd?: string;
  /** History events before continuing as new (default YEAR_HISTORY_LIMIT). */
  historyLimit?: number;
  /** Set by continue-as-new: the steps' states, and whether the académie was told already. */
  carried?: YearCarried & { notified: boolean };
}

export interface SchoolRunResult {
  uai: string;
  millesime: number;
  period?: number;
  steps: StepState[];
}

export async function notifyParent(input: SchoolRunInput, steps: StepState[]): Promise<void> {
  if (!input.parentWorkflowId) return;
  const ok = steps.every((s) => s.status === 'succeeded' || s.status === 'succeeded-with-anomalies');
  try {
    await getExternalWorkflowHandle(input.parentWorkflowId).signal(schoolDone, { uai: input.uai, ok });
  } catch {
    // The académie run may be gone (terminated by an operator): the school's result stands anyway.
  }
}

export function tagSchool(input: SchoolRunInput): void {
  upsertSearchAttributes(schoolAttributes(input));
}

export async function schoolYear(input: SchoolRunInput): Promise<SchoolRunResult> {
  if (!patched(YEAR_LOOP_PATCH)) {
    tagSchool(input);
    const steps = await runChain(YEAR_CHAIN, input);
    await notifyParent(input, steps);
    return { uai: input.uai, millesime: input.millesime, steps };
  }
  // A first run started with its attributes (by the académie) needs no upsert; a continued run
  // upserts them as it always did (its history was recorded that way).
  if (input.carried || workflowInfo().typedSearchAttributes.get(UAI) === undefined) tagSchool(input);
  const chain = startReactiveChain(YEAR_CHAIN, input, input.carried);
  setHandler(fileArrived, (file) => chain.fileArrived(file));
  const yearEnd = input.yearEnd ?? (await schoolYearEnd({ uai: input.uai, millesime: input.millesime }));
  if (!input.carried?.notified) {
    // The first pass: the académie counts the school when its chain has been through once.
    await condition(() => chain.busy() === 0);
    await notifyParent(input, chain.states());
  }
  const limit = input.historyLimit ?? YEAR_HISTORY_LIMIT;
  const historyLarge = (): boolean => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= limit;
  // Then new files and confirmations, until the calendar says the year is over (a year already
  // over when its chain is through ends there).
  const end = Date.parse(`${yearEnd}T00:00:00Z`);
  while (end - Date.now() > 0) {
    if (await condition(() => chain.busy() === 0 && historyLarge(), end - Date.now())) {
      // Only between runs (no child to carry over): the next run takes the steps' states.
      await condition(allHandlersFinished);
      await continueAsNew<typeof schoolYear>({ ...input, yearEnd, carried: { ...chain.carried(), notified: true } });
    }
  }
  return { uai: input.uai, millesime: input.millesime, steps: chain.states() };
}
