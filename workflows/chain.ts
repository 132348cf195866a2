// The order of the chain (DOMAIN.md): each step starts when the steps it depends on are done.
// 4a and 4b are buttons a person presses in STS-Web: the workflow waits for them to be confirmed.
import type { StepId } from './steps';

export interface ChainStep {
  step: StepId;
  after: StepId[];
  /** Done by a person in a national application: waits for a confirmation, then checks evidence. */
  manual?: boolean;
}

/**
 * The inboxes each step reads (its inputs): a new file in one of them is a new run of the steps
 * that read it (the school's year, workflows/year-runner.ts). Manual steps run again when a
 * person confirms them again, not on a file.
 */
export const STEP_READS: Record<StepId, readonly ('sts' | 'edt' | 'siecle' | 'pronote' | 'lsu')[]> = {
  'sts-edt': ['sts'],
  'siecle-pronote': ['siecle'],
  // emp_sts, and STS-Web's sts_emp for the graded groups.
  'edt-sts': ['edt', 'sts'],
  'sts-siecle-structure': ['siecle', 'sts'],
  'sts-siecle-services': ['sts'],
  'pronote-siecle-elegroupe': ['pronote'],
  // SIECLE's exports, sts_emp and LSU's state.
  'lsu-base-sync': ['siecle', 'sts', 'lsu'],
  'lsu-bilans': ['lsu'],
};

export const YEAR_CHAIN: ChainStep[] = [
  { step: 'sts-edt', after: [] },
  { step: 'siecle-pronote', after: [] },
  { step: 'edt-sts', after: ['sts-edt'] },
  { step: 'sts-siecle-structure', after: ['edt-sts'], manual: true },
  { step: 'sts-siecle-services', after: ['sts-siecle-structure'], manual: true },
  // SIECLE will not link a pupil to a group it does not know: 4a and 4b first.
  { step: 'pronote-siecle-elegroupe', after: ['siecle-pronote', 'sts-siecle-structure', 'sts-siecle-services'] },
  { step: 'lsu-base-sync', after: ['siecle-pronote', 'sts-siecle-services'] },
];

/** End of every period: the base sync (periods, classes, teachers) before the bilans. */
export const TERM_CHAIN: ChainStep[] = [
  { step: 'lsu-base-sync', after: [] },
  { step: 'lsu-bilans', after: ['lsu-base-sync'] },
];

export const MANUAL_STEPS: ReadonlySet<StepId> = new Set(YEAR_CHAIN.filter((s) => s.manual).map((s) => s.step));
