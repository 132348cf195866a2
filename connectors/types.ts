// The edge to the five applications, as the activities see it. A connector is chosen per school:
// `folder` (files dropped by people or scripts are picked up; what goes to the next application
// is written to its outbox under its official name) or `sandbox` (the same folders, with an
// embedded STS-Web, EDT, SIECLE, PRONOTE and LSU that react the way the real ones do).
//
// Folder layout, per school, under the data dir:
//   schools/<UAI>/<app>/inbox/   what the application exported (dropped by a person, a script or the sandbox)
//   schools/<UAI>/<app>/outbox/  what we hand to the application (official file names)
//   schools/<UAI>/<app>/reports/ what the application said back (SIECLE compte-rendu, LSU rapport), as JSON
// with <app> one of sts, edt, siecle, pronote, lsu.
import type { Anomaly, LevelCounts } from '../rules/anomaly';
import type { StepId } from '../steps/vocabulary';

export type ConnectorKind = 'folder' | 'sandbox';
export type Application = 'sts' | 'edt' | 'siecle' | 'pronote' | 'lsu';

/** A file kept in the content-addressed store: what travels between activities (never the bytes). */
export interface StoredFileRef {
  key: string;
  sha256: string;
  bytes: number;
  /** Original name (official names carry the UAI and millésime, never pupil data). */
  name: string;
}

export interface ContentStore {
  put(name: string, bytes: Buffer): Promise<StoredFileRef>;
  /** Same as put, from a file on disk, hashed and copied as a stream (LSU files up to 100 Mo). */
  putFile?(name: string, path: string): Promise<StoredFileRef>;
  get(ref: Pick<StoredFileRef, 'key'>): Promise<Buffer>;
  /** Path on disk, for streaming readers of big files. */
  pathOf(ref: Pick<StoredFileRef, 'key'>): string;
}

export interface StepRequest {
  uai: string;
  /** SIECLE millésime of the school year. */
  millesime: number;
  step: StepId;
  /** Term runs: the period index (1-based). */
  period?: number;
  /** Business date YYYY-MM-DD (the calendar checks use it; never the clock). */
  businessDate: string;
}

export interface StepEnvironment {
  attempt: number;
  heartbeat(details?: unknown): void;
  store: ContentStore;
}

/** What a step came to. Bad data is not an outcome: the connector throws StepRejected (activities/step-run). */
export type StepOutcome =
  /** Done: the file (if any) went to the next application; anomalies that did not stop it. */
  | { kind: 'done'; input?: StoredFileRef; anomalies: Anomaly[]; deposited?: boolean }
  /** The file this step needs is not there yet (the workflow waits and looks again). */
  | { kind: 'waiting-file'; expected: string }
  /** Deposited in SIECLE, which processes it at night: the nightly job finishes the step. */
  | { kind: 'queued-for-night'; input: StoredFileRef; anomalies: Anomaly[]; deposited?: boolean };

// `deposited` (when the step hands a file on): true for the one run that wrote it to the target's
// outbox, false for a retry or a concurrent run of the same input that found it already deposited.

/** SIECLE's nightly processing of one school's élève-groupe deposit. */
export interface NightResult {
  /** False when nothing was waiting for that school. */
  processed: boolean;
  /** The same night asked again (a retried activity): its compte-rendu, not a second processing. */
  replayed?: boolean;
  input?: StoredFileRef;
  anomalies: Anomaly[];
  /** Pupils: read, imported (REINIT_ELGRP), partial (PAR), rejected (REJ_ELGRP), absent (ABS). */
  counts?: { read: number; imported: number; partial: number; rejected: number; absent: number };
  levels?: LevelCounts;
}

export interface Connector {
  kind: ConnectorKind;
  /** Runs one automatic step (or, for a manual step confirmed by a person, checks its evidence). */
  runStep(request: StepRequest, env: StepEnvironment): Promise<StepOutcome>;
  /** SIECLE's night for this school: processes the waiting élève-groupe deposit, exactly once. */
  processNight(request: Omit<StepRequest, 'step'> & { night: string }, env: StepEnvironment): Promise<NightResult>;
  /** Whether an élève-groupe deposit is waiting for SIECLE's night. */
  hasWaitingDeposit(uai: string, millesime: number): Promise<boolean>;
}
