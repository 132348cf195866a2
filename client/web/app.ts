// The dashboard as a hono app: server-rendered pages over the database, and two POST actions that
// go through Temporal (confirm a manual step, re-run a failed run). Built from its dependencies so
// that tests drive it with `app.request()` on an in-memory database and a fake Temporal client.
import type { Client } from '@temporalio/client';
import { Hono, type Context } from 'hono';
import type { Settings } from '../../config/settings';
import type { Db } from '../../db/client';
import { getSchool } from '../../db/queries/schools';
import { getStepRun, listStepRuns } from '../../db/queries/step-runs';
import { isStepId, STEP_STATUSES, type StepStatus } from '../../workflows/steps';
import { confirmStep } from '../actions/confirm-step';
import { ActionRefused } from '../actions/errors';
import { STEP_LABELS } from '../actions/labels';
import { rerunStep } from '../actions/rerun-step';
import { runReport } from '../actions/run-report';
import { listAcademies, schoolStatuses, type StatusFilter } from '../actions/school-status';
import type { Html } from './layout';
import { gridPage } from './pages/grid';
import { messagePage, reportPage } from './pages/report';
import { schoolPage } from './pages/school';
import { mountSchoolPortal } from './portal/routes';
import { checkToken, READ_ONLY_MESSAGE } from './token';

export interface WebAppDeps {
  db: Db;
  /** Absent: the pages work, the actions answer that Temporal is not reachable. */
  temporal?: { client: Client; taskQueue: string };
  settings: Pick<Settings, 'web'> & { temporal: Pick<Settings['temporal'], 'namespace'> };
  /** Errors that are not an operator's mistake (database down…): logged, never shown. */
  onError?: (error: unknown) => void;
  /** The data dir (school inboxes, uploads in progress): the portal's upload needs it. */
  dataDir?: string;
}

const isStatus = (value: string): value is StepStatus => (STEP_STATUSES as readonly string[]).includes(value);

function temporalUrl(base: string | undefined, namespace: string, workflowId: string, runId: string): string | undefined {
  if (!base) return undefined;
  const ns = encodeURIComponent(namespace);
  // A row recorded before its workflow ran (waiting for a person) has no run id: search by id.
  return runId
    ? `${base}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`
    : `${base}/namespaces/${ns}/workflows?query=${encodeURIComponent(`WorkflowId="${workflowId}"`)}`;
}

export function createWebApp(deps: WebAppDeps): Hono {
  const { db, settings } = deps;
  const app = new Hono();
  const show = (c: Context, body: Html, status: 200 | 400 | 401 | 403 | 404 | 409 | 500 | 503 = 200) => c.html(body, status);
  const fail = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 500 | 503, title: string, message: string, back?: string) =>
    show(c, messagePage(title, message, back, true), status);

  app.get('/', async (c) => {
    const q = c.req.query();
    const filter: StatusFilter = {};
    if (q.academie) filter.academie = q.academie;
    if (q.step) {
      if (!isStepId(q.step)) return fail(c, 400, 'Filtre invalide', `Étape inconnue : ${q.step}.`, '/');
      filter.step = q.step;
    }
    if (q.status) {
      if (!isStatus(q.status)) return fail(c, 400, 'Filtre invalide', `État inconnu : ${q.status}.`, '/');
      filter.status = q.status;
    }
    const failedOnly = q.echecs === '1';
    if (failedOnly) filter.status = 'failed';
    const [rows, academies] = await Promise.all([schoolStatuses(db, filter), listAcademies(db)]);
    return show(c, gridPage({ rows, academies, filter, failedOnly }));
  });

  app.get('/ecoles/:uai', async (c) => {
    const uai = c.req.param('uai');
    const school = await getSchool(db, uai);
    if (!school) return fail(c, 404, 'Établissement inconnu', `Aucun établissement ${uai}.`, '/');
    return show(c, schoolPage(school, await listStepRuns(db, { uai })));
  });

  app.get('/runs/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const report = Number.isSafeInteger(id) && id > 0 ? await runReport(db, id) : undefined;
    if (!report) return fail(c, 404, 'Exécution introuvable', `Aucune exécution n° ${c.req.param('id')}.`, '/');
    const actionsDisabled = !settings.web.token
      ? READ_ONLY_MESSAGE
      : !deps.temporal
        ? "Temporal n'est pas joignable depuis ce tableau de bord : les actions sont indisponibles."
        : undefined;
    return show(c, reportPage({ report, actionsDisabled, temporalUrl: temporalUrl(settings.web.temporalUiUrl, settings.temporal.namespace, report.run.workflowId, report.run.runId) }));
  });

  // Both actions: token first (before even reading the run), then Temporal, then the action.
  async function act(c: Context, body: (temporal: NonNullable<WebAppDeps['temporal']>, id: number, form: Record<string, unknown>) => Promise<string>) {
    const id = Number(c.req.param('id'));
    const back = `/runs/${c.req.param('id')}`;
    const form = await c.req.parseBody().catch((): Record<string, unknown> => ({}));
    const token = checkToken(settings.web.token, c.req.header('authorization'), form.token);
    if (!token.ok) return fail(c, token.status, 'Action refusée', token.message, back);
    if (!deps.temporal) return fail(c, 503, 'Action impossible', "Temporal n'est pas joignable depuis ce tableau de bord.", back);
    if (!Number.isSafeInteger(id) || id <= 0) return fail(c, 404, 'Exécution introuvable', `Aucune exécution n° ${c.req.param('id')}.`, '/');
    try {
      return show(c, messagePage('Action faite', await body(deps.temporal, id, form), back, false));
    } catch (error) {
      if (error instanceof ActionRefused) return fail(c, error.kind === 'not-found' ? 404 : error.kind === 'conflict' ? 409 : 503, 'Action refusée', error.message, back);
      throw error;
    }
  }

  app.post('/runs/:id/relancer', (c) =>
    act(c, async (temporal, id) => {
      const started = await rerunStep(temporal.client, db, id, { taskQueue: temporal.taskQueue });
      return `Relance de l'exécution ${started.rerunOf} démarrée (workflow ${started.workflowId}). Son état apparaîtra dans la grille dès que l'étape commencera.`;
    }),
  );

  app.post('/runs/:id/confirmer', (c) =>
    act(c, async (temporal, id, form) => {
      const run = await getStepRun(db, id);
      if (!run) throw new ActionRefused('not-found', `Exécution ${id} introuvable.`);
      const by = typeof form.by === 'string' && form.by.trim() !== '' ? form.by.trim().slice(0, 64) : undefined;
      const answer = await confirmStep(temporal.client, { uai: run.uai, millesime: run.millesime, step: run.step, by });
      if (!answer.accepted) throw new ActionRefused('conflict', answer.message);
      return `${STEP_LABELS[run.step]} : ${answer.message}`;
    }),
  );

  mountSchoolPortal(app, deps);

  app.notFound((c) => fail(c, 404, 'Page introuvable', `Aucune page ${c.req.path}.`, '/'));
  app.onError((error, c) => {
    (deps.onError ?? ((e: unknown) => console.error(e)))(error);
    return fail(c, 500, 'Erreur interne', "Une erreur inattendue est survenue ; elle est consignée dans les journaux du serveur.", '/');
  });
  return app;
}
