// The schools' portal routes, mounted on the dashboard app: a school's page for its staff, its
// script, and the upload of one file. Before any of them, the app's guard (guard.ts) has signed the
// viewer in and, for the upload (a streaming route, streaming-routes.ts), checked the Origin and
// the session's CSRF token from `X-CSRF-Token` without reading the body. The upload is then
// rate-limited per address (UPLOADS_PER_MINUTE), still before its body is read. Then each route checks
// the viewer may see the school (404 otherwise, before the body is read or the database says
// whether the school exists), then the declared size; the body is streamed to a temporary file,
// checked, and either refused with its report or deposited through `synchro drop`'s path.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import { getSchool } from '../../../db/queries/schools';
import { listAudit, recordAudit } from '../../../db/queries/audit';
import { localDate, timeZoneOf } from '../../../rules/time-zones';
import { isStepId } from '../../../workflows/steps';
import type { WebAppDeps } from '../app';
import type { GuardVariables } from '../guard';
import { auditSection } from '../pages/audit';
import { messagePage } from '../pages/report';
import { clientAddress } from '../address';
import { createRateLimiter, rateLimited } from '../rate-limit';
import { actorOf, canSeeSchool, viewerOf } from '../viewer';
import { handInFile } from './hand-in';
import { etablissementPage } from './page';
import { refusedUpload, uploadReport } from './report-fragment';
import { millesimeToShow, schoolYearView } from './school-year';
import { MAX_UPLOAD_BYTES, streamBodyToFile } from './upload-body';
import { UPLOAD_SCRIPT, UPLOAD_SCRIPT_PATH } from './upload-script';

/** A file name as a browser sends it: a plain name, never a path, never hidden. */
const SAFE_NAME = /^[^\\/\0]{1,200}$/;

function today(uai: string): string {
  return localDate(new Date(), timeZoneOf(uai));
}

/**
 * Files one address may send a minute. A school hands in a dozen files at a time (SIECLE's seven
 * exports, sts_emp, emp_sts, the élève-groupe zip, LSU's bilans), and a secretariat behind one
 * address may drop two or three schools' worth at once: 120 leaves room for that, and bounds what
 * a script in a loop costs (each accepted file is checked, parsed and written to disk).
 */
export const UPLOADS_PER_MINUTE = 120;

function askedMillesime(value: string | undefined): number | undefined | null {
  if (value === undefined || value === '') return undefined;
  return /^\d{4}$/.test(value) ? Number(value) : null;
}

export function mountSchoolPortal(app: Hono<{ Variables: GuardVariables }>, deps: WebAppDeps): void {
  const { db } = deps;
  const trustProxy = deps.settings.web.trustProxy ?? false;
  const notFound = (c: Context, uai: string) => c.html(messagePage('Établissement inconnu', `Aucun établissement ${uai}.`, '/', true), 404);

  // The same bytes whatever the ?v= (the page links the current version): cached for a day.
  app.get(UPLOAD_SCRIPT_PATH, (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'private, max-age=86400');
    return c.body(UPLOAD_SCRIPT);
  });

  app.get('/etablissement/:uai', async (c) => {
    const uai = c.req.param('uai').toUpperCase();
    if (!canSeeSchool(viewerOf(c), uai)) return notFound(c, uai);
    const school = await getSchool(db, uai);
    if (!school) return notFound(c, uai);
    const asked = askedMillesime(c.req.query('millesime'));
    if (asked === null) return c.html(messagePage('Millésime invalide', 'Millésime attendu sur quatre chiffres (AAAA).', `/etablissement/${uai}`, true), 400);
    const millesime = await millesimeToShow(db, uai, asked, today(uai));
    const [view, audit] = await Promise.all([schoolYearView(db, school, millesime), listAudit(db, { uai, limit: 50 })]);
    // The bearer token's viewer has no session, hence no token: the page is shown, its upload is for sessions.
    const upload = { url: `/etablissement/${encodeURIComponent(uai)}/depot?millesime=${millesime}`, csrf: c.get('csrf') ?? '' };
    return c.html(etablissementPage(view, upload, auditSection(audit)));
  });

  // Counted per address (the client's, behind a declared proxy) before anything else of the request
  // is looked at; the refusal is a report fragment, which the page's script shows as it shows the others.
  const uploadLimit = rateLimited(createRateLimiter({ limit: UPLOADS_PER_MINUTE, windowMs: 60_000 }), trustProxy, (c, seconds) =>
    c.html(refusedUpload((c.req.query('nom') ?? '').slice(0, 200), `trop de fichiers envoyés depuis cette adresse (${UPLOADS_PER_MINUTE} par minute au plus) : réessayez dans ${seconds} s.`), 429));

  app.put('/etablissement/:uai/depot', uploadLimit, async (c) => {
    const uai = c.req.param('uai').toUpperCase();
    const viewer = viewerOf(c);
    if (!viewer || !canSeeSchool(viewer, uai)) return notFound(c, uai);
    const school = await getSchool(db, uai);
    if (!school) return notFound(c, uai);
    const name = c.req.query('nom') ?? '';
    const refuse = (status: 400 | 413 | 503, message: string) => c.html(refusedUpload(name, message), status);
    if (!SAFE_NAME.test(name) || name.startsWith('.')) return refuse(400, 'Nom de fichier manquant ou refusé (paramètre « nom »).');
    const step = c.req.query('etape');
    if (step !== undefined && step !== '' && !isStepId(step)) return refuse(400, `Étape inconnue : ${step}.`);
    const asked = askedMillesime(c.req.query('millesime'));
    if (asked === null) return refuse(400, 'Millésime attendu sur quatre chiffres (AAAA).');
    if (!deps.dataDir) return refuse(503, "Dépôt indisponible : ce serveur n'a pas de dossier de données.");
    const declared = Number(c.req.header('content-length'));
    const tooLarge = `${name} : plus de 100 Mo, refusé (LSU et SIECLE n'acceptent pas plus de 100 Mo par fichier).`;
    // A declared size over the cap is refused before one byte of the body is read.
    if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES) return refuse(413, tooLarge);

    const dir = join(deps.dataDir, 'uploads', randomUUID());
    await mkdir(dir, { recursive: true });
    try {
      const path = join(dir, name);
      const body = await streamBodyToFile(c.req.raw.body, path, MAX_UPLOAD_BYTES);
      if (!body.ok) return body.reason === 'too-large' ? refuse(413, tooLarge) : refuse(400, `${name} : fichier vide.`);
      const on = today(uai);
      const millesime = await millesimeToShow(db, uai, asked, on);
      const handed = await handInFile({
        dataDir: deps.dataDir, uai, millesime, path, sha256: body.sha256, on,
        ...(step && isStepId(step) && { step }), ...(deps.temporal && { temporal: deps.temporal.client }),
      });
      const address = clientAddress(c, trustProxy);
      await recordAudit(db, {
        actor: actorOf(viewer), action: 'upload', uai, ...(address && { address }),
        details: { name, sha256: body.sha256, bytes: body.bytes, kind: handed.result.kind, verdict: handed.result.verdict, deposited: handed.deposited },
      });
      if (c.req.header('accept')?.includes('application/json')) {
        const { result } = handed;
        return c.json({
          file: result.file, kind: result.kind, uai: result.uai ?? null, millesime: result.millesime ?? null, verdict: result.verdict, anomalies: result.anomalies, counts: result.counts,
          deposited: handed.deposited, refusal: handed.refusal ?? null, application: handed.application ?? null, step: handed.step ?? null, signalled: handed.signalled ?? null,
        }, handed.deposited ? 200 : 422);
      }
      return c.html(uploadReport(handed), handed.deposited ? 200 : 422);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
