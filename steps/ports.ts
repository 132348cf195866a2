// What a step is given: its request and a few ports. The steps (one file each in steps/) say what
// the chain does with a school's files; the ports say where the files are and what is remembered.
// The `folder` and `sandbox` connectors implement the inbox, outbox and reports over the school's
// folders (connectors/folder.ts); the activities build the ledger over the database and hand the
// step its ports (activities/step-ports.ts). Nothing here knows of Temporal or of the database.
import type { FileKind } from '../formats/types';
import type { Anomaly } from '../rules/anomaly';
import type { StepId } from './vocabulary';

export type Application = 'sts' | 'edt' | 'siecle' | 'pronote' | 'lsu';

/** A file kept in the content-addressed store: what travels between activities (never the bytes). */
export interface StoredFileRef {
  key: string;
  sha256: string;
  bytes: number;
  /** Original name (official names carry the UAI and millésime, never pupil data). */
  name: string;
}

/** The content store port: files kept by their sha256. */
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

/** What a step came to. Bad data is not an outcome: the step throws StepRejected (steps/rejected.ts). */
export type StepOutcome =
  /** Done: the file (if any) went to the next application; anomalies that did not stop it. */
  | { kind: 'done'; input?: StoredFileRef; anomalies: Anomaly[]; deposited?: boolean }
  /** The file this step needs is not there yet (the workflow waits and looks again). */
  | { kind: 'waiting-file'; expected: string }
  /** Deposited in SIECLE, which processes it at night: the nightly job finishes the step. */
  | { kind: 'queued-for-night'; input: StoredFileRef; anomalies: Anomaly[]; deposited?: boolean };

// `deposited` (when the step hands a file on): true for the one run that wrote it to the target's
// outbox, false for a retry or a concurrent run of the same input that found it already deposited.

/** A file an application exported, on disk. */
export interface FoundFile {
  path: string;
  name: string;
  mtimeMs: number;
}

/** The inbox port: what each application of the school exported. */
export interface Inbox {
  /** Files whose names match, newest first. */
  list(app: Application, pattern: RegExp): Promise<FoundFile[]>;
  newest(app: Application, pattern: RegExp): Promise<FoundFile | undefined>;
}

/** The outbox port: what is handed to an application, under its official name. */
export interface Outbox {
  write(app: Application, name: string, bytes: Uint8Array | string): Promise<string>;
  /** Copies a file (a big LSU file is never held in memory). */
  copy(app: Application, name: string, fromPath: string): Promise<string>;
}

/** The reports port: what an application said back (SIECLE's compte-rendu, LSU's rapport), as JSON. */
export interface Reports {
  writeJson(app: Application, name: string, value: unknown): Promise<string>;
}

export interface DepositClaim {
  /** False when another run (a retry, a concurrent run) had already deposited this input. */
  isNew: boolean;
  /** Gives the claim back (the write failed: a retry claims again). */
  cancel(): Promise<void>;
}

/** The ledger port: what is remembered of the school's files and deposits. */
export interface Ledger {
  /** Remembers a file the step picked (its exchange file), filed under the request's school and millésime. */
  recordFile(ref: StoredFileRef, kind: FileKind): Promise<void>;
  /** Claims the deposit of `inputSha256` to `target`, once per school, millésime, step and input. */
  claimDeposit(target: Application, inputSha256: string): Promise<DepositClaim>;
  /** The anomalies of SIECLE's compte-rendu, when a night already processed this élève-groupe file. */
  nightReport(file: { sha256: string; name: string }): Promise<{ anomalies: Anomaly[] } | undefined>;
}

/** The ports the school's connector implements. */
export interface SchoolPorts {
  inbox: Inbox;
  outbox: Outbox;
  reports: Reports;
}

export interface StepContext extends SchoolPorts {
  request: StepRequest;
  env: StepEnvironment;
  ledger: Ledger;
}

export type StepHandler = (ctx: StepContext) => Promise<StepOutcome>;
