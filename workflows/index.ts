// Every workflow the worker registers. Workflow code only: deterministic, imports activity types.
export { stepRun } from './step-run';
export { schoolYear } from './school-year';
export { term } from './term';
export { nightlyEleGroupe } from './nightly-elegroupe';
export { academy } from './academy';
export { notificationsSweep } from './notifications';
