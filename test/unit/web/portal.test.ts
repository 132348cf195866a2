// The school's page and the upload, through app.request() on a real PGlite and a real data dir,
// signed in by the demo's one-time links (portal-harness.ts): what the staff are told to do, the
// run history, the school's audit log, and each uploaded file's report before any deposit —
// accepted into the right inbox, or refused with the reason (another school, another millésime,
// another application, over 100 Mo while streaming). Refused before the body is read: another
// school's staff (404) and a request without the CSRF token (403).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../../db/queries/audit';
import { finishStepRun, startStepRun } from '../../../db/queries/step-runs';
import { countByLevel } from '../../../rules/anomaly';
import { UPLOAD_SCRIPT, UPLOAD_SCRIPT_URL } from '../../../client/web/portal/upload-script';
import { csrfOf, GRENOBLE, PARIS, upload, usePortal, type SignedIn } from './portal-harness';

const portal = usePortal();
// The boxes are made when first written: no inbox yet is an empty one.
const inbox = (uai: string, app: string): Promise<string[]> =>
  readdir(path.join(portal.dataDir, 'schools', uai, app, 'inbox')).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
/** A body of `mib` MiB offered one MiB at a time, pulled only when read: `pulled()` says how much was. */
function countedBody(mib: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= mib) return controller.close();
      pulled += 1;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return { body, pulled: () => pulled };
}
const put = (session: SignedIn, uai: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>) =>
  session.request(`/etablissement/${uai}/depot?nom=import_lsu_20260101120000.xml`, { method: 'PUT', headers, body, duplex: 'half' });
const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe("a school's page for its staff", () => {
  it('shows the year step by step with its state, what to do next (application, menu, file) and every run newest first', async () => {
    const m = portal.millesime;
    const run = (step: 'sts-edt' | 'siecle-pronote', sha: string) => startStepRun(portal.db, { uai: PARIS, millesime: m, step, inputSha256: sha, workflowId: `school-year/${PARIS}/${m}/${step}`, runId: sha });
    const failed = await run('sts-edt', 'aaa1');
    await finishStepRun(portal.db, failed.id, 'failed', { ...countByLevel([]), blocking: 1 });
    const again = await run('sts-edt', 'bbb2');
    await finishStepRun(portal.db, again.id, 'succeeded', countByLevel([]));

    const session = portal.app(PARIS);
    const response = await session.request(`/etablissement/${PARIS}`);
    expect(response.status).toBe(200);
    const body = await response.text();
    const steps = [...body.matchAll(/<section class="step" data-step="([^"]+)" data-status="([^"]+)">/g)].map((s) => [s[1], s[2]]);
    expect(steps.map((s) => s[0])).toEqual(['sts-edt', 'siecle-pronote', 'edt-sts', 'sts-siecle-structure', 'sts-siecle-services', 'pronote-siecle-elegroupe', 'lsu-base-sync']);
    expect(steps[0]).toEqual(['sts-edt', 'succeeded']);
    expect(steps[1]).toEqual(['siecle-pronote', 'none']);
    const plain = text(body);
    // The seeds' menu paths, quoted.
    expect(plain).toContain('« STS-Web > Exports > Emploi du temps »');
    expect(plain).toContain('« PRONOTE > Fichier > SIECLE > Exporter les liens élèves/groupes »');
    expect(plain).toContain('« SIECLE > Mise à jour > Exportations > En XML »');
    expect(plain).toContain(`${PARIS}ELEGROUPE${m}<AAMMJJhhmmss>.zip`);
    // What to do next: SIECLE's export has not started and waits for nobody; élève-groupe waits for 4a/4b.
    const raw = (step: string): string => body.split(`<section class="step" data-step="${step}"`)[1]!.split('</section>')[0]!;
    const section = (step: string): string => text(raw(step));
    expect(section('siecle-pronote')).toMatch(/À faire : Dans SIECLE > Mise à jour > Exportations > En XML : Téléchargez les 7 fichiers/);
    expect(section('pronote-siecle-elegroupe')).toContain("Rien à faire pour l'instant : cette étape attend « SIECLE → PRONOTE » et « STS → SIECLE structure » et « STS → SIECLE services »");
    // History newest first, linked to the reports.
    const runs = [...raw('sts-edt').matchAll(/<tr data-run="(\d+)">.*?<a href="\/runs\/(\d+)">rapport<\/a>/gs)].map((r) => Number(r[1]));
    expect(runs).toEqual([again.id, failed.id]);
    // The upload zone: a file input, the drop zone, and the same-origin script that PUTs each file
    // (no inline script: the CSP forbids them), given the session's token and the size cap.
    expect(body).toContain('id="zone"');
    expect(body).toMatch(/<input type="file" multiple id="fichiers">/);
    expect(body).toContain(`data-url="/etablissement/${PARIS}/depot?millesime=${m}"`);
    expect(body).toContain(`data-csrf="${await csrfOf(session)}"`);
    expect(body).toContain(`data-max="${100 * 1024 * 1024}"`);
    expect([...body.matchAll(/<script([^>]*)>/g)].map((s) => s[1])).toEqual([` src="${UPLOAD_SCRIPT_URL}" defer`]);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await session.request(UPLOAD_SCRIPT_URL);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toBe('private, max-age=86400');
    const js = await script.text();
    expect(js).toBe(UPLOAD_SCRIPT);
    expect(js).toContain("method:'PUT'");
    expect(js).toContain("'X-CSRF-Token':csrf");
    // The staff's page shows the school's audit log (their own sign-in is in it).
    expect(body).toContain('<h2>Journal des actions</h2>');
    expect(body).toContain('<tr data-action="sign-in">');
  });

  it("links the admin's school page to the staff's page", async () => {
    const body = await (await portal.app('admin').request(`/ecoles/${PARIS}`)).text();
    expect(body).toContain(`<a href="/etablissement/${PARIS}">`);
  });

  it('shows the current term after the year, with what to do after a failure', async () => {
    const m = portal.millesime;
    const bilans = await startStepRun(portal.db, { uai: GRENOBLE, millesime: m, step: 'lsu-bilans', period: 2, workflowId: `term/${GRENOBLE}/${m}/2/lsu-bilans`, runId: 'r' });
    await finishStepRun(portal.db, bilans.id, 'failed', { ...countByLevel([]), error: 3 });
    const body = await (await portal.app(GRENOBLE).request(`/etablissement/${GRENOBLE}`)).text();
    const term = body.split('<h2>Période 2 : fin de période</h2>')[1];
    expect(term).toBeDefined();
    const steps = [...term!.matchAll(/<section class="step" data-step="([^"]+)" data-status="([^"]+)">/g)].map((s) => `${s[1]}:${s[2]}`);
    expect(steps).toEqual(['lsu-base-sync:none', 'lsu-bilans:failed']);
    const plain = text(term!.split('data-step="lsu-bilans"')[1]!);
    expect(plain).toContain('Échec : lisez le rapport (lien ci-dessous), corrigez la cause, puis exportez de nouveau (PRONOTE > Fichier > LSL/LSU/ADMISSION POST-BAC/OBII > Exporter les bulletins vers LSU) et déposez le nouveau fichier ici.');
    expect(plain).toContain('« LSU > Échanges de données > Import »');
    expect(term).toContain(`<a href="/runs/${bilans.id}">rapport</a>`);
  });

  it("answers 404 for a school the viewer cannot see, exactly as for a school that does not exist (nothing leaked)", async () => {
    const paris = portal.app(PARIS);
    const other = await paris.request(`/etablissement/${GRENOBLE}`);
    const missing = await paris.request('/etablissement/0000001A');
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    const body = await other.text();
    expect(body).not.toContain('Buclos');
    expect(body.replaceAll(GRENOBLE, 'X')).toBe((await missing.text()).replaceAll('0000001A', 'X'));
    // Nobody signed in: sent to the sign-in page, and back here afterwards.
    const anonymous = await portal.app('anonymous').request(`/etablissement/${PARIS}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`/connexion?retour=%2Fetablissement%2F${PARIS}`);
    expect((await portal.app('admin').request(`/etablissement/${GRENOBLE}`)).status).toBe(200);
  });
});

describe('an upload on the page', () => {
  it('accepts a valid sts_emp: report first (verdict, no anomaly), then the file is in the STS inbox, and the upload is in the audit log', async () => {
    const { byRole } = await portal.generate(PARIS);
    const response = await upload(portal.app(PARIS), PARIS, byRole['sts-emp']!);
    const body = await response.text();
    expect(response.status, body).toBe(200);
    expect(body).toMatch(/data-kind="sts-edt" data-verdict="accepted" data-outcome="deposited"/);
    expect(text(body)).toContain('Déposé dans la boîte de réception sts');
    expect(await inbox(PARIS, 'sts')).toEqual([path.basename(byRole['sts-emp']!)]);
    const [entry] = await listAudit(portal.db, { uai: PARIS });
    expect(entry).toMatchObject({ action: 'upload', actorSubject: `local:${PARIS}`, actorName: `Personnel ${PARIS} (démo)`, details: { name: path.basename(byRole['sts-emp']!), kind: 'sts-edt', verdict: 'accepted', deposited: true } });
    expect((entry!.details as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await readdir(path.join(portal.dataDir, 'uploads'))).toEqual([]);
  });

  it("refuses another school's file with the reason, and deposits nothing", async () => {
    const { byRole } = await portal.generate(GRENOBLE);
    const app = portal.app(PARIS);
    const response = await upload(app, PARIS, byRole['emp-sts']!, { json: true });
    expect(response.status).toBe(422);
    const json = (await response.json()) as { deposited: boolean; refusal: string; verdict: string; anomalies: { code: string }[] };
    expect(json.deposited).toBe(false);
    expect(json.verdict).toBe('rejected');
    expect(json.refusal).toBe(`${path.basename(byRole['emp-sts']!)} : fichier de l'établissement ${GRENOBLE}, pas de ${PARIS}.`);
    expect(json.anomalies.map((a) => a.code)).toContain('UAI_DIFFERENT');
    expect(await inbox(PARIS, 'edt')).toEqual([]);
  });

  it('refuses a file of another millésime, and a file dropped on the zone of another application', async () => {
    const old = await portal.generate(PARIS, { millesime: portal.millesime - 1, seed: 9 });
    const app = portal.app(PARIS);
    const oldYear = await upload(app, PARIS, old.byRole['emp-sts']!);
    expect(oldYear.status).toBe(422);
    expect(text(await oldYear.text())).toContain(`millésime ${portal.millesime - 1}, ${portal.millesime} attendu pour l'année scolaire ${portal.millesime}-${portal.millesime + 1}`);

    const current = await portal.generate(PARIS, { seed: 11 });
    const wrongZone = await upload(app, PARIS, current.byRole['emp-sts']!, { step: 'pronote-siecle-elegroupe' });
    expect(wrongZone.status).toBe(422);
    const body = text(await wrongZone.text());
    expect(body).toContain("fichier de l'étape « EDT → STS », pas de l'étape « Élève-groupe » (PRONOTE)");
    expect(body).toContain('PRONOTE > Fichier > SIECLE > Exporter les liens élèves/groupes');
    expect(await inbox(PARIS, 'edt')).toEqual([]);
  });

  it('refuses without the CSRF token or with a wrong one (403), and from another school\'s staff (404), before reading the body', async () => {
    const { byRole } = await portal.generate(PARIS);
    const paris = portal.app(PARIS);
    const response = await upload(paris, PARIS, byRole['emp-sts']!, { csrf: null });
    expect(response.status).toBe(403);
    expect(await upload(paris, PARIS, byRole['emp-sts']!, { csrf: 'forged' }).then((r) => r.status)).toBe(403);
    expect(await inbox(PARIS, 'edt')).toEqual([]);

    // The same with a body that counts what is read of it: nothing is.
    const noToken = countedBody(150);
    expect((await put(paris, PARIS, noToken.body, {})).status).toBe(403);
    expect(noToken.pulled()).toBe(0);
    const otherSite = countedBody(150);
    expect((await put(paris, PARIS, otherSite.body, { 'x-csrf-token': await csrfOf(paris), origin: 'http://evil.example' })).status).toBe(403);
    expect(otherSite.pulled()).toBe(0);

    // Grenoble's staff, with their own valid token, on Paris's upload: 404, as for a school that does not exist.
    const grenoble = portal.app(GRENOBLE);
    const foreign = countedBody(150);
    const refused = await put(grenoble, PARIS, foreign.body, { 'x-csrf-token': await csrfOf(grenoble) });
    expect(refused.status).toBe(404);
    expect(foreign.pulled()).toBe(0);
    const missing = await put(grenoble, '0000001A', countedBody(1).body, { 'x-csrf-token': await csrfOf(grenoble) });
    expect((await refused.text()).replaceAll(PARIS, 'X')).toBe((await missing.text()).replaceAll('0000001A', 'X'));
    expect((await upload(grenoble, PARIS, byRole['emp-sts']!)).status).toBe(404);
    expect(await inbox(PARIS, 'edt')).toEqual([]);
    // A session's token is its own: Grenoble's does not pass for Paris's staff.
    expect((await upload(paris, PARIS, byRole['emp-sts']!, { csrf: await csrfOf(grenoble) })).status).toBe(403);
  });

  it('refuses more than 100 Mo: at once when declared, while streaming otherwise, without holding the body', async () => {
    const app = portal.app(PARIS);
    const csrf = await csrfOf(app);
    const declared = await app.request(`/etablissement/${PARIS}/depot?nom=import_lsu_20260101120000.xml`, {
      method: 'PUT', headers: { 'x-csrf-token': csrf, 'content-length': String(101 * 1024 * 1024) }, body: 'x',
    });
    expect(declared.status).toBe(413);

    // 150 Mo offered in 1 Mio chunks (one buffer, reused), no Content-Length: the server stops pulling
    // past 100 Mo (the form-body limit of 64 Ko does not apply to this streaming route).
    const { body, pulled: pulledOf } = countedBody(150);
    const before = process.memoryUsage().rss;
    const streamed = await put(app, PARIS, body, { 'x-csrf-token': csrf });
    const pulled = pulledOf();
    const grown = process.memoryUsage().rss - before;
    expect(streamed.status).toBe(413);
    expect(text(await streamed.text())).toContain("plus de 100 Mo, refusé");
    expect(pulled).toBeLessThanOrEqual(102);
    expect(pulled).toBeGreaterThan(100);
    expect(grown).toBeLessThan(80 * 1024 * 1024);
    expect(await inbox(PARIS, 'lsu')).toEqual([]);
    expect(await readdir(path.join(portal.dataDir, 'uploads'))).toEqual([]);
  });

  it("predicts SIECLE's compte-rendu of an élève-groupe zip from the school's SIECLE exports, before the deposit", async () => {
    const { byRole, siecleExports, school } = await portal.generate(GRENOBLE, { seed: 21, faults: [{ kind: 'unknown-group' }] });
    const app = portal.app(GRENOBLE);
    for (const file of siecleExports) {
      const r = await upload(app, GRENOBLE, file);
      expect(r.status, `${file}: ${await r.clone().text()}`).toBe(200);
    }
    expect((await inbox(GRENOBLE, 'siecle')).length).toBe(siecleExports.length);
    const response = await upload(app, GRENOBLE, byRole.elegroupe!);
    const body = await response.text();
    expect(response.status, body).toBe(200);
    expect(body).toMatch(/data-kind="elegroupe" data-verdict="accepted-with-anomalies" data-outcome="deposited"/);
    const fault = school.injected.find((f) => f.kind === 'unknown-group')!;
    expect(fault.code).toBe('GROUPE_A_01');
    const row = new RegExp(`<tr data-code="GROUPE_A_01" data-count="(\\d+)">`).exec(body);
    expect(Number(row?.[1])).toBeGreaterThan(0);
    const plain = text(body);
    expect(plain).toContain("Compte-rendu d'import des liens élève-groupe (simulation du traitement de nuit)");
    expect(plain).toMatch(/Élèves : 60 lus, \d+ importés \(REINIT_ELGRP\), \d+ partiellement \(PAR\)/);
    expect(plain).toContain(`Le groupe "${fault.group}" n'est pas référencé.`);
    expect(await inbox(GRENOBLE, 'pronote')).toEqual([path.basename(byRole.elegroupe!)]);
  });
});
