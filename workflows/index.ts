// Every workflow the worker registers. Workflow code only: deterministic, imports activity types.
export { stepRun } from './step-run';
