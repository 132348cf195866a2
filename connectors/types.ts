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
import type { SchoolPorts, StepEnvironment, StepOutcome, StepRequest, StoredFileRef } from '../steps/ports';

// The steps' own vocabulary (steps/ports.ts), re-exported for the connectors' callers.
export type { Application, ContentStore, FoundFile, StepEnvironment, StepOutcome, StepRequest, StoredFileRef } from '../steps/ports';

export type ConnectorKind = 'folder' | 'sandbox';

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
  /** The school's folders as the steps' inbox, outbox and reports (the activities add the ledger and run the step). */
  portsFor?(uai: string): SchoolPorts;
  /** What the application itself does as a step runs (the sandbox STS-Web pushes the structure when 4a is pressed). */
  beforeStep?(request: StepRequest): Promise<void>;
  /** Test doubles only: the step's outcome decided by the test instead of the step of steps/. */
  runStep?(request: StepRequest, env: StepEnvironment): Promise<StepOutcome>;
  /** SIECLE's night for this school: processes the waiting élève-groupe deposit, exactly once. */
  processNight(request: Omit<StepRequest, 'step'> & { night: string }, env: StepEnvironment): Promise<NightResult>;
  /** The compte-rendu's anomalies when a night already processed this élève-groupe file. */
  nightReport?(school: { uai: string; millesime: number }, file: { sha256: string; name: string }): Promise<{ anomalies: Anomaly[] } | undefined>;
  /** Whether an élève-groupe deposit is waiting for SIECLE's night. */
  hasWaitingDeposit(uai: string, millesime: number): Promise<boolean>;
}
