// The end of a period for one school: LSU base sync, then the bilans import.
import { TERM_CHAIN } from './chain';
import { runChain } from './chain-runner';
import { notifyParent, tagSchool, type SchoolRunInput, type SchoolRunResult } from './school-year';

export async function term(input: SchoolRunInput & { period: number }): Promise<SchoolRunResult> {
  tagSchool(input);
  const steps = await runChain(TERM_CHAIN, input);
  await notifyParent(input, steps);
  return { uai: input.uai, millesime: input.millesime, period: input.period, steps };
}
