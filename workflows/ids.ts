// Workflow ids are derived from the business keys, so that starting a school's year twice finds
// the running one, and the CLI and the dashboard can address a school without a lookup.
import type { StepId } from './steps';

export const schoolYearWorkflowId = (uai: string, millesime: number): string => `school-year/${uai}/${millesime}`;
export const termWorkflowId = (uai: string, millesime: number, period: number): string => `term/${uai}/${millesime}/${period}`;
export const nightlyWorkflowId = (night: string): string => `nightly-elegroupe/${night}`;
export const academyWorkflowId = (academie: string, millesime: number, kind: 'year' | 'term', period?: number): string =>
  `academie/${academie}/${millesime}/${kind}${period === undefined ? '' : `/${period}`}`;
/** A step's own workflow, child of the school's year or term. */
export const stepWorkflowId = (parentId: string, step: StepId): string => `${parentId}/${step}`;
/**
 * A re-run asked by a person: a new workflow, linked to the failed run (kept for audit). Named by
 * the failed run and the re-run's rank (1 for its first re-run, 2 once that one is over, …): ten
 * people pressing "Relancer" at once ask Temporal for the same id, and it starts one workflow.
 * The school, millésime and step make the id readable and keep it apart from another database's
 * run of the same number on a shared Temporal namespace.
 */
export const rerunWorkflowId = (failed: { id: number; uai: string; millesime: number; step: StepId }, rank: number): string =>
  `rerun/${failed.uai}/${failed.millesime}/${failed.step}/${failed.id}/${rank}`;
