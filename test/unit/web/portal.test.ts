// The school's page and the upload, through app.request() on a real PGlite and a real data dir:
// what the staff are told to do, the run history, and each uploaded file's report before any
// deposit — accepted into the right inbox, or refused with the reason (another school, another
// millésime, another application, over 100 Mo while streaming).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../../db/queries/audit';
import { finishStepRun, startStepRun } from '../../../db/queries/step-runs';
import { countByLevel } from '../../../rules/anomaly';
import { GRENOBLE, PARIS, staffOf, upload, usePortal } from './portal-harness';

const portal = usePortal();
const inbox = (uai: string, app: string): Promise<string[]> => readdir(path.join(portal.dataDir, 'schools', uai, app, 'inbox'));
const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe("a school's page for its staff", () => {
  it('shows the year step by step with its state, what to do next (application, menu, file) and every run newest first', async () => {
    const m = portal.millesime;
    const run = (step: 'sts-edt' | 'siecle-pronote', sha: string) => startStepRun(portal.db, { uai: PARIS, millesime: m, step, inputSha256: sha, workflowId: `school-year/${PARIS}/${m}/${step}`, runId: sha });
    const failed = await run('sts-edt', 'aaa1');
    await finishStepRun(portal.db, failed.id, 'failed', { ...countByLevel([]), blocking: 1 });
    const again = await run('sts-edt', 'bbb2');
    await finishStepRun(portal.db, again.id, 'succeeded', countByLevel([]));

    const response = await portal.app(staffOf(PARIS)).request(`/etablissement/${PARIS}`);
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
    // The upload zone: a file input, the drop zone, and the script that PUTs each file.
    expect(body).toContain('id="zone"');
    expect(body).toMatch(/<input type="file" multiple id="fichiers">/);
    expect(body).toContain("method:'PUT'");
    expect(body).toContain(`data-url="/etablissement/${PARIS}/depot?millesime=${m}"`);
  });

  it('shows the current term after the year, with what to do after a failure', async () => {
    const m = portal.millesime;
    const bilans = await startStepRun(portal.db, { uai: GRENOBLE, millesime: m, step: 'lsu-bilans', period: 2, workflowId: `term/${GRENOBLE}/${m}/2/lsu-bilans`, runId: 'r' });
    await finishStepRun(portal.db, bilans.id, 'failed', { ...countByLevel([]), error: 3 });
    const body = await (await portal.app(staffOf(GRENOBLE)).request(`/etablissement/${GRENOBLE}`)).text();
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
    const other = await portal.app(staffOf(PARIS)).request(`/etablissement/${GRENOBLE}`);
    const missing = await portal.app(staffOf(PARIS)).request('/etablissement/0000001A');
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    const body = await other.text();
    expect(body).not.toContain('Buclos');
    expect(body.replaceAll(GRENOBLE, 'X')).toBe((await missing.text()).replaceAll('0000001A', 'X'));
    expect((await portal.app(undefined).request(`/etablissement/${PARIS}`)).status).toBe(404);
    expect((await portal.app({ kind: 'admin', subject: 'dane', schools: 'all' }).request(`/etablissement/${GRENOBLE}`)).status).toBe(200);
  });
});

describe('an upload on the page', () => {
  it('accepts a valid sts_emp: report first (verdict, no anomaly), then the file is in the STS inbox, and the upload is in the audit log', async () => {
    const { byRole } = await portal.generate(PARIS);
    const response = await upload(portal.app(staffOf(PARIS)), PARIS, byRole['sts-emp']!);
    const body = await response.text();
    expect(response.status, body).toBe(200);
    expect(body).toMatch(/data-kind="sts-edt" data-verdict="accepted" data-outcome="deposited"/);
    expect(text(body)).toContain('Déposé dans la boîte de réception sts');
    expect(await inbox(PARIS, 'sts')).toEqual([path.basename(byRole['sts-emp']!)]);
    const [entry] = await listAudit(portal.db, { uai: PARIS });
    expect(entry).toMatchObject({ action: 'upload', actorSubject: `agent-${PARIS}`, actorName: 'Agent de test', details: { name: path.basename(byRole['sts-emp']!), kind: 'sts-edt', verdict: 'accepted', deposited: true } });
    expect((entry!.details as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await readdir(path.join(portal.dataDir, 'uploads'))).toEqual([]);
  });

  it("refuses another school's file with the reason, and deposits nothing", async () => {
    const { byRole } = await portal.generate(GRENOBLE);
    const app = portal.app(staffOf(PARIS, GRENOBLE));
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
    const app = portal.app(staffOf(PARIS));
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

  it('refuses without a CSRF token, before reading the body', async () => {
    const { byRole } = await portal.generate(PARIS);
    const response = await upload(portal.app(staffOf(PARIS)), PARIS, byRole['emp-sts']!, { csrf: null });
    expect(response.status).toBe(403);
    expect(await inbox(PARIS, 'edt')).toEqual([]);
    expect((await upload(portal.app(staffOf(GRENOBLE)), PARIS, byRole['emp-sts']!)).status).toBe(404);
  });

  it('refuses more than 100 Mo: at once when declared, while streaming otherwise, without holding the body', async () => {
    const app = portal.app(staffOf(PARIS));
    const declared = await app.request(`/etablissement/${PARIS}/depot?nom=import_lsu_20260101120000.xml`, {
      method: 'PUT', headers: { 'x-csrf-token': 'test-csrf-token', 'content-length': String(101 * 1024 * 1024) }, body: 'x',
    });
    expect(declared.status).toBe(413);

    // 150 Mo offered in 1 Mio chunks (one buffer, reused), no Content-Length: the server stops pulling past 100 Mo.
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 150) return controller.close();
        pulled += 1;
        controller.enqueue(chunk);
      },
    }, { highWaterMark: 0 });
    const before = process.memoryUsage().rss;
    const streamed = await app.request(`/etablissement/${PARIS}/depot?nom=import_lsu_20260101120000.xml`, {
      method: 'PUT', headers: { 'x-csrf-token': 'test-csrf-token' }, body, duplex: 'half',
    });
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
    const app = portal.app(staffOf(GRENOBLE));
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
