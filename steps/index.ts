// One handler per step of the chain (steps/vocabulary.ts), each in the file named after it: the
// activities hand it its ports (activities/step-ports.ts).
import type { StepId } from './vocabulary';
import type { StepContext, StepHandler, StepOutcome } from './ports';
import { edtSts } from './edt-sts';
import { lsuBaseSync } from './lsu-base-sync';
import { lsuBilans } from './lsu-bilans';
import { pronoteSiecleEleGroupe } from './pronote-siecle-elegroupe';
import { sieclePronote } from './siecle-pronote';
import { stsEdt } from './sts-edt';
import { stsSiecleServices } from './sts-siecle-services';
import { stsSiecleStructure } from './sts-siecle-structure';

export const STEP_HANDLERS: Record<StepId, StepHandler> = {
  'sts-edt': stsEdt,
  'siecle-pronote': sieclePronote,
  'edt-sts': edtSts,
  'sts-siecle-structure': stsSiecleStructure,
  'sts-siecle-services': stsSiecleServices,
  'pronote-siecle-elegroupe': pronoteSiecleEleGroupe,
  'lsu-base-sync': lsuBaseSync,
  'lsu-bilans': lsuBilans,
};

/** Runs the step the request names, with its ports. */
export function runStep(ctx: StepContext): Promise<StepOutcome> {
  return STEP_HANDLERS[ctx.request.step](ctx);
}
