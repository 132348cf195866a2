// The dashboard as a hono app: server-rendered pages over the database, and two POST actions that
// go through Temporal (confirm a manual step, re-run a failed run). Built from its dependencies so
// that tests drive it with `app.request()` on an in-memory database and a fake Temporal client.
import type { Client } from '@temporalio/client';
import { Hono, type Context } from 'hono';
import { contextStorage } from 'hono/context-storage';
import type { Settings } from '../../config/settings';
import type { Db } from '../../db/client';
import { listAudit, recordAudit } from '../../db/queries/audit';
import { getSchool } from '../../db/queries/schools';
import { getStepRun, listStepRuns } from '../../db/queries/step-runs';
import type { StepRun } from '../../db/schema';
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
import { auditSection } from './pages/audit';
import { allowedHosts, authenticate, checkCsrf, checkHost, limitBodies, securityHeaders, type GuardVariables } from './guard';
import { clientAddress } from './address';
import { createLocalSignIn, type LocalSignIn } from './auth/local-signin';
import { createOidcLogin } from './auth/oidc';
import { registerAuthRoutes } from './auth/routes';
import type { SessionPolicy } from './auth/sessions';
import { mountSchoolPortal } from './portal/routes';
import { actorOf, canSeeSchool, viewerOf, type Viewer } from './viewer';

export interface WebAppDeps {
  db: Db;
  /** Absent: the pages work, the actions answer that Temporal is not reachable. */
  temporal?: { client: Client; taskQueue: string };
  settings: Pick<Settings, 'web'> & { temporal: Pick<Settings['temporal'], 'namespace'> };
  /** Errors that are not an operator's mistake (database down…): logged, never shown. */
  onError?: (error: unknown) => void;
  /** The port actually bound (startWebServer fills it): the accepted Host headers include it. */
  listening?: { port: number; url?: string };
  /** Where the demo's one-time sign-in links are printed (the server's terminal); absent: not printed. */
  say?: (line: string) => void;
  /** The data dir (school inboxes, uploads in progress): the portal's upload needs it. */
  dataDir?: string;
}

/** The app, and the demo's sign-in (absent when an identity provider is configured). */
export interface WebApp extends Hono<{ Variables: GuardVariables }> {
  localSignIn?: LocalSignIn;
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

export function createWebApp(deps: WebAppDeps): WebApp {
  const { db, settings } = deps;
  const web = settings.web;
  const onError = deps.onError ?? ((e: unknown) => console.error(e));
  const app: WebApp = new Hono<{ Variables: GuardVariables }>();
  const show = (c: Context, body: Html, status: 200 | 400 | 401 | 403 | 404 | 409 | 500 | 503 = 200) => c.html(body, status);
  const fail = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 500 | 503, title: string, message: string, back?: string) =>
    show(c, messagePage(title, message, back, true), status);
  const viewer = (c: Context): Viewer => viewerOf(c)!; // every route below runs after authenticate()
  const address = (c: Context) => clientAddress(c, web.trustProxy ?? false);

  const secure = web.publicUrl?.startsWith('https:') ?? false;
  const policy: SessionPolicy = { idleMinutes: web.session?.idleMinutes ?? 60, maxHours: web.session?.maxHours ?? 10, secure };
  let hosts: Set<string> | undefined;
  let hostsPort: number | undefined;
  const currentHosts = () => {
    const port = deps.listening?.port ?? web.port;
    if (!hosts || hostsPort !== port) {
      hosts = allowedHosts({ host: web.host, port }, web.publicUrl, web.allowedHosts ?? []);
      hostsPort = port;
    }
    return hosts;
  };

  app.use(contextStorage());
  app.use(checkHost(currentHosts));
  app.use(securityHeaders());
  app.use(authenticate({ db, policy, token: web.token, hosts: currentHosts }));
  app.use(limitBodies());
  app.use(checkCsrf({ publicOrigin: web.publicUrl && new URL(web.publicUrl).origin }));

  if (!web.oidc) app.localSignIn = createLocalSignIn();
  const linkBase = () => web.publicUrl ?? deps.listening?.url ?? '';
  registerAuthRoutes(app, {
    db, policy, trustProxy: web.trustProxy ?? false, onError,
    oidc: web.oidc && { login: createOidcLogin(web.oidc), settings: web.oidc },
    local: app.localSignIn,
    printLinks: deps.say && ((links) => {
      deps.say!('Liens de connexion (usage unique, 15 minutes) :');
      for (const link of links) deps.say!(`  ${link.account.name} : ${linkBase()}${link.path}`);
    }),
  });

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
    const who = viewer(c);
    // The grid shows the viewer's schools only (and only the académies they are in).
    const rows = (await schoolStatuses(db, filter)).filter((row) => canSeeSchool(who, row.uai));
    const academies = who.schools === 'all' ? await listAcademies(db) : [...new Set((await schoolStatuses(db, {})).filter((r) => canSeeSchool(who, r.uai)).map((r) => r.academie))].sort();
    return show(c, gridPage({ rows, academies, filter, failedOnly }));
  });

  // Another school's page, run or action answers exactly as a missing one does: 404, same words.
  const noSchool = (c: Context, uai: string) => fail(c, 404, 'Établissement inconnu', `Aucun établissement ${uai}.`, '/');
  const noRun = (c: Context) => fail(c, 404, 'Exécution introuvable', `Aucune exécution n° ${c.req.param('id')}.`, '/');

  app.get('/ecoles/:uai', async (c) => {
    const uai = c.req.param('uai');
    if (!canSeeSchool(viewer(c), uai)) return noSchool(c, uai);
    const school = await getSchool(db, uai);
    if (!school) return noSchool(c, uai);
    const [runs, audit] = await Promise.all([listStepRuns(db, { uai }), listAudit(db, { uai, limit: 50 })]);
    return show(c, schoolPage(school, runs, auditSection(audit)));
  });

  app.get('/runs/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const report = Number.isSafeInteger(id) && id > 0 ? await runReport(db, id) : undefined;
    if (!report || !canSeeSchool(viewer(c), report.run.uai)) return noRun(c);
    const actionsDisabled = !deps.temporal ? "Temporal n'est pas joignable depuis ce tableau de bord : les actions sont indisponibles." : undefined;
    return show(c, reportPage({ report, actionsDisabled, temporalUrl: temporalUrl(settings.web.temporalUiUrl, settings.temporal.namespace, report.run.workflowId, report.run.runId) }));
  });

  // Both actions: the viewer is known and the CSRF checked (guard.ts) before the body is read;
  // then the run, which must be one of the viewer's schools; then Temporal, then the action.
  async function act(c: Context, body: (temporal: NonNullable<WebAppDeps['temporal']>, run: StepRun, who: Viewer) => Promise<string>) {
    const id = Number(c.req.param('id'));
    const back = `/runs/${c.req.param('id')}`;
    const run = Number.isSafeInteger(id) && id > 0 ? await getStepRun(db, id) : undefined;
    if (!run || !canSeeSchool(viewer(c), run.uai)) return noRun(c);
    if (!deps.temporal) return fail(c, 503, 'Action impossible', "Temporal n'est pas joignable depuis ce tableau de bord.", back);
    try {
      return show(c, messagePage('Action faite', await body(deps.temporal, run, viewer(c)), back, false));
    } catch (error) {
      if (error instanceof ActionRefused) return fail(c, error.kind === 'not-found' ? 404 : error.kind === 'conflict' ? 409 : 503, 'Action refusée', error.message, back);
      throw error;
    }
  }

  app.post('/runs/:id/relancer', (c) =>
    act(c, async (temporal, run, who) => {
      const started = await rerunStep(temporal.client, db, run.id, { taskQueue: temporal.taskQueue });
      await recordAudit(db, { actor: actorOf(who), action: 'rerun', uai: run.uai, address: address(c), details: { stepRunId: run.id, step: run.step, workflowId: started.workflowId, via: 'web' } });
      return `Relance de l'exécution ${started.rerunOf} démarrée (workflow ${started.workflowId}). Son état apparaîtra dans la grille dès que l'étape commencera.`;
    }),
  );

  app.post('/runs/:id/confirmer', (c) =>
    act(c, async (temporal, run, who) => {
      // The workflow history keeps who confirmed: the subject (an identifier, not a name).
      const answer = await confirmStep(temporal.client, { uai: run.uai, millesime: run.millesime, step: run.step, by: actorOf(who).subject.slice(0, 64) });
      if (!answer.accepted) throw new ActionRefused('conflict', answer.message);
      await recordAudit(db, { actor: actorOf(who), action: 'confirm', uai: run.uai, address: address(c), details: { stepRunId: run.id, step: run.step, millesime: run.millesime, via: 'web' } });
      return `${STEP_LABELS[run.step]} : ${answer.message}`;
    }),
  );

  mountSchoolPortal(app, deps);

  app.notFound((c) => fail(c, 404, 'Page introuvable', `Aucune page ${c.req.path}.`, '/'));
  app.onError((error, c) => {
    onError(error);
    return fail(c, 500, 'Erreur interne', "Une erreur inattendue est survenue ; elle est consignée dans les journaux du serveur.", '/');
  });
  return app;
}
