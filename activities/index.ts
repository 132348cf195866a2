// Every activity the worker registers, built from its dependencies (database, connectors).
import { createStepActivities, type StepActivityDeps } from './step-run';

export type ActivityDeps = StepActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return { ...createStepActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
