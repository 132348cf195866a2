// Every activity the worker registers, built from its dependencies (database, content store,
// connectors), as in Temporal's samples: a factory, so tests can pass their own.
import { mailFailureNow } from './failure-mail';
import { createNightActivities } from './night';
import { createNotificationActivities, type NotificationActivityDeps } from './notifications';
import { createStepActivities, type StepActivityDeps } from './step-run';
import { createYearActivities } from './year';

export type ActivityDeps = StepActivityDeps & Partial<Omit<NotificationActivityDeps, 'db'>>;

export function createActivities(deps: ActivityDeps) {
  // With mail configured, a failure's mail goes at once (its own sweep), not with the next scheduled one.
  const steps = deps.mail && !deps.onStepFailed ? { ...deps, onStepFailed: mailFailureNow } : deps;
  return { ...createStepActivities(steps), ...createNightActivities(steps), ...createYearActivities(), ...createNotificationActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
