// Signals, updates and queries of the chain's workflows: the CLI and the dashboard use these
// definitions (never raw names). Payloads carry ids and statuses only, never pupil data.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StepId, StepStatus } from './steps';

/** A person confirms a manual step (the 4a / 4b buttons in STS-Web, a deposit without connector). */
export interface ManualStepConfirmation {
  step: StepId;
  /** Who confirmed (an operator's login, not a pupil). */
  by?: string;
}

export interface ConfirmationAnswer {
  accepted: boolean;
  message: string;
}

export const confirmManualStep = defineUpdate<ConfirmationAnswer, [ManualStepConfirmation]>('confirmManualStep');

/** The nightly job tells the school's year that SIECLE processed its élève-groupe file. */
export interface NightProcessed {
  night: string;
  stepRunId: number;
  status: StepStatus;
}
export const nightProcessed = defineSignal<[NightProcessed]>('nightProcessed');

export interface StepState {
  step: StepId;
  status: StepStatus;
  stepRunId?: number;
  updatedAt?: string;
  /** How many runs of this step the school's year started (child workflow ids are suffixed with it). */
  runs?: number;
  /** sha256 of the file its latest run moved. */
  inputSha256?: string;
}
export const stepStates = defineQuery<StepState[]>('stepStates');

/** A school's year or term tells the académie workflow that it is over (sliding window). */
export interface SchoolDone {
  uai: string;
  ok: boolean;
}
export const schoolDone = defineSignal<[SchoolDone]>('schoolDone');

/**
 * A new file for a school's step (dropped, uploaded through the portal, or found by the connector):
 * the school's year (workflow id `school-year/<UAI>/<millésime>`) starts a new run of the step that
 * reads it, and of the steps that depend on it. Only the file's official name and sha256 travel.
 */
export interface FileArrived {
  /** The application that exported it: the inbox it was put in. */
  application: 'sts' | 'edt' | 'siecle' | 'pronote' | 'lsu';
  name: string;
  sha256: string;
}
export const fileArrived = defineSignal<[FileArrived]>('fileArrived');

/** The school's year tells a step waiting for its file to look again now (a file just arrived). */
export const lookAgain = defineSignal('lookAgain');
