// Starting the chain's workflows from the CLI (and later the dashboard): ids derived from the
// business keys, so that starting what already runs is reported, not duplicated.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { getSchool, listSchools } from '../../db/queries/schools';
import { millesimeOf, schoolYearEnd, schoolYearEnds, schoolYearOn } from '../../rules/calendar';
import { academyWorkflowId, nightlyWorkflowId, schoolYearWorkflowId, termWorkflowId } from '../../workflows/ids';

export type RunKind = 'yearly' | 'term' | 'nightly';

export interface RunRequest {
  kind: RunKind;
  uai?: string;
  academie?: string;
  millesime?: number;
  period?: number;
  /** Business date YYYY-MM-DD (the night for nightly runs). */
  on: string;
  taskQueue: string;
}

export interface StartedRun {
  workflowId: string;
  started: boolean;
}

export class RunRequestError extends Error {}

async function start(client: Client, workflowType: string, workflowId: string, taskQueue: string, args: unknown[]): Promise<StartedRun> {
  try {
    await client.workflow.start(workflowType, { workflowId, taskQueue, args });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}

export async function startRun(client: Client, db: Db, request: RunRequest): Promise<StartedRun> {
  if (request.kind === 'nightly') {
    const uais = request.uai ? [request.uai] : request.academie ? (await listSchools(db)).filter((s) => s.academie === request.academie).map((s) => s.uai) : undefined;
    const scope = request.uai ?? request.academie ?? 'toutes';
    return start(client, 'nightlyEleGroupe', `${nightlyWorkflowId(request.on)}/${scope}`, request.taskQueue, [{ night: request.on, uais }]);
  }
  if (request.kind === 'term' && request.period === undefined) throw new RunRequestError('--period est obligatoire pour une exécution de fin de période.');

  if (request.uai) {
    const school = await getSchool(db, request.uai);
    if (!school) throw new RunRequestError(`Établissement ${request.uai} inconnu : l'ajouter avec « synchro schools add ».`);
    const millesime = request.millesime ?? millesimeOf('siecle', schoolYearOn(school.uai, request.on));
    const input = { uai: school.uai, millesime, academie: school.academie, businessDate: request.on };
    return request.kind === 'term'
      ? start(client, 'term', termWorkflowId(school.uai, millesime, request.period!), request.taskQueue, [{ ...input, period: request.period }])
      : start(client, 'schoolYear', schoolYearWorkflowId(school.uai, millesime), request.taskQueue, [{ ...input, yearEnd: schoolYearEnd(school.uai, millesime) }]);
  }
  if (!request.academie) throw new RunRequestError('Préciser --uai ou --academie.');
  const uais = (await listSchools(db)).filter((s) => s.academie === request.academie).map((s) => s.uai);
  if (uais.length === 0) throw new RunRequestError(`Aucun établissement enregistré dans l'académie ${request.academie}.`);
  const millesime = request.millesime ?? millesimeOf('siecle', schoolYearOn(uais[0]!, request.on));
  const kind = request.kind === 'term' ? 'term' : 'year';
  return start(client, 'academy', academyWorkflowId(request.academie, millesime, kind, request.period), request.taskQueue, [
    { academie: request.academie, kind, millesime, period: request.period, businessDate: request.on, uais, ...(kind === 'year' && { yearEnds: schoolYearEnds(uais, millesime) }) },
  ]);
}
