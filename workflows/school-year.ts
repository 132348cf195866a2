// The school year of one school: the whole chain, in order, through retries, restarts and nights.
import { getExternalWorkflowHandle, upsertSearchAttributes } from '@temporalio/workflow';
import { YEAR_CHAIN } from './chain';
import { runChain, type ChainInput } from './chain-runner';
import { schoolDone, type StepState } from './messages';
import { ACADEMIE, MILLESIME, UAI } from './search-attributes';

export interface SchoolRunInput extends ChainInput {
  academie?: string;
  /** The académie workflow to tell when this school is over. */
  parentWorkflowId?: string;
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
  upsertSearchAttributes([
    { key: UAI, value: input.uai },
    { key: MILLESIME, value: input.millesime },
    ...(input.academie ? [{ key: ACADEMIE, value: input.academie }] : []),
  ]);
}

export async function schoolYear(input: SchoolRunInput): Promise<SchoolRunResult> {
  tagSchool(input);
  const steps = await runChain(YEAR_CHAIN, input);
  await notifyParent(input, steps);
  return { uai: input.uai, millesime: input.millesime, steps };
}
