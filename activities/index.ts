// Every activity the worker registers, built from its dependencies (database, content store,
// connectors), as in Temporal's samples: a factory, so tests can pass their own.
import { createNightActivities } from './night';
import { createNotificationActivities, type NotificationActivityDeps } from './notifications';
import { createStepActivities, type StepActivityDeps } from './step-run';
import { createYearActivities } from './year';

export type ActivityDeps = StepActivityDeps & Partial<Omit<NotificationActivityDeps, 'db'>>;

export function createActivities(deps: ActivityDeps) {
  return { ...createStepActivities(deps), ...createNightActivities(deps), ...createYearActivities(), ...createNotificationActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
