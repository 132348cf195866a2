// Bad data: a step refuses its file with these anomalies. The activity fails the run at once
// (non-retryable, anomalies kept): retrying cannot make a wrong file right.
import type { Anomaly } from '../rules/anomaly';

/** Bad data: the step fails at once with these anomalies, and Temporal does not retry. */
export class StepRejected extends Error {
  constructor(message: string, readonly anomalies: Anomaly[]) {
    super(message);
    this.name = 'StepRejected';
  }
}
