// The stable ids of the chain's steps (DOMAIN.md "The chain"), in order. Pure constants: safe in
// workflow code and shared by activities, the database and the CLI.
export const STEP_IDS = [
  'sts-edt',
  'siecle-pronote',
  'edt-sts',
  'sts-siecle-structure',
  'sts-siecle-services',
  'pronote-siecle-elegroupe',
  'lsu-base-sync',
  'lsu-bilans',
] as const;

export type StepId = (typeof STEP_IDS)[number];

export const STEP_STATUSES = [
  'pending',
  'waiting-file',
  'waiting-person',
  'running',
  'succeeded',
  'succeeded-with-anomalies',
  'failed',
  'blocked',
] as const;

export type StepStatus = (typeof STEP_STATUSES)[number];

export function isStepId(value: string): value is StepId {
  return (STEP_IDS as readonly string[]).includes(value);
}

/** Failure types that mean "bad data": Temporal must not retry them. */
export const NON_RETRYABLE_FAILURES = ['InvalidExchangeFile', 'RejectedByRules'] as const;
