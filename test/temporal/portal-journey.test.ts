// The portal's journey end to end, every part real: a school's year running on the dev server with
// a real worker (folder connector, the real steps), the web server as `synchro web` builds it,
// signed in through a real OpenID Connect provider (oidc-provider's login and consent pages) in
// Debian's Chromium. School A's staff member (FrEduRne: A's UAI) opens A's page, where « STS-Web →
// EDT » waits for its file; hands in the sts_emp through the page's file input and reads its report;
// the step that waited (next look an hour away) resumes at once and succeeds, the chain moves on
// to the élève-groupe step, which waits in turn; the élève-groupe zip goes in through that step's
// own input, the page shows SIECLE's predicted compte-rendu — the verdict, codes and counts that
// `synchro check` prints for the same file — and the step resumes, deposits and waits for the
// night, which then finds what was predicted. The same person gets 404 on school B's pages, on a
// run of B, its re-run and an upload to B; the admin (FrEduFonctAdm=DAFPIC) sees both schools.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropFile } from '../../client/actions/drop-file';
import { registerSchool } from '../../client/actions/register-schools';
import { currentMillesime } from '../../client/web/portal/school-year';
import { startWebServer, type WebServer } from '../../client/web/server';
import { listAnomaliesByRun } from '../../db/queries/anomalies';
import { listAudit } from '../../db/queries/audit';
import { listStepRuns } from '../../db/queries/step-runs';
import { uaiCheckLetter } from '../../formats/uai';
import { localDate, timeZoneOf } from '../../rules/time-zones';
import { nightlyEleGroupe, schoolYear } from '../../workflows';
import { schoolYearWorkflowId } from '../../workflows/ids';
import type { StepId } from '../../workflows/steps';
import { browserSuite, launchChromium } from '../support/chromium';
import { writeGeneratedFiles } from '../support/generated-files';
import { freePort, signInThroughProvider, startIdentityProvider, type IdentityProvider } from '../support/identity-provider';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
// Two Lyon schools no other test uses (their school-year workflow ids are this file's own).
const A = `0693141${uaiCheckLetter('0693141')}`;
const B = `0693142${uaiCheckLetter('0693142')}`;
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'agent-ampere': { name: 'Claire Secrétariat', FrEduRne: [`${A}$UAJ$PU$ADF$T3$CLG$340`], FrEduFonctAdm: 'ADF' },
  'dafpic-admin': { name: 'Admin Académie', FrEduFonctAdm: ['DAFPIC'] },
};

let root: string;
let dataDir: string;
let webUrl: string;
let idp: IdentityProvider | undefined;
let browser: Browser | undefined;
let server: WebServer | undefined;
const serverErrors: unknown[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'synchro-journey-'));
  dataDir = path.join(root, 'data');
  await registerSchool(harness.db, dataDir, { uai: A, name: 'Collège Ampère', academie: 'Lyon', connector: 'folder' });
  await registerSchool(harness.db, dataDir, { uai: B, name: 'Collège des Canuts', academie: 'Lyon', connector: 'folder' });
  webUrl = `http://127.0.0.1:${await freePort()}`;
  idp = await startIdentityProvider({ accounts: ACCOUNTS, webUrl, adminClaims: [['FrEduFonctAdm', 'DAFPIC']] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await idp?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, seconds = 120): Promise<T> {
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    const value = await probe();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const latestRun = async (uai: string, step: StepId) => (await listStepRuns(harness.db, { uai, step }))[0];

/** What `synchro check --reference <dossier> --json` prints, run as a user runs it (a subprocess). */
async function synchroCheck(files: string[], reference: string, uai: string, on: string): Promise<{ file: string; verdict: string; anomalies: { code: string }[]; counts: Record<string, number> }[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, [path.resolve('bin/synchro.js'), 'check', ...files, '--reference', reference, '--uai', uai, '--on', on, '--json'], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  await new Promise((r) => child.on('exit', r));
  expect(stderr).toBe('');
  return (JSON.parse(stdout) as { files: Awaited<ReturnType<typeof synchroCheck>> }).files;
}

/** Codes and their counts, as the page's table groups them. */
function codeCounts(anomalies: { code: string }[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const a of anomalies) counts.set(a.code, (counts.get(a.code) ?? 0) + 1);
  return [...counts].sort((x, y) => x[0].localeCompare(y[0]));
}

/** The report the page shows for one upload: its attributes, its table of codes, its plain text. */
async function reportOn(page: Page, name: string) {
  const report = page.locator(`#rapports article.upload-report[data-file="${name}"]`);
  await report.waitFor({ timeout: 60_000 });
  const rows = await report.locator('table.codes tbody tr').all();
  const codes: [string, number][] = [];
  for (const row of rows) codes.push([(await row.getAttribute('data-code'))!, Number(await row.getAttribute('data-count'))]);
  return {
    verdict: await report.getAttribute('data-verdict'),
    outcome: await report.getAttribute('data-outcome'),
    codes: codes.sort((x, y) => x[0].localeCompare(y[0])),
    decision: (await report.locator('.decision').textContent()) ?? '',
    text: (await report.locator('pre.report').textContent()) ?? '',
  };
}

/** A page's <main>, with the UAI and the run id it names replaced: what a 404 says beyond them. */
const mainOf = (html: string, uai: string, id: number) => /<main>[\s\S]*<\/main>/.exec(html)![0].replaceAll(uai, 'X').replace(new RegExp(`\\b${id}\\b`, 'g'), 'N');

const stepStatus = (page: Page, step: StepId) => page.locator(`section.step[data-step="${step}"]`).getAttribute('data-status');

browserSuite("the portal's journey: sign-in through the académie's provider, two files handed in, the waiting steps resumed", () => {
  it("lets A's staff hand in an sts_emp and an élève-groupe zip, read the predicted compte-rendu, see the waiting steps resume, and nothing of B; the admin sees both", async () => {
    const on = localDate(new Date(), timeZoneOf(A));
    const millesime = currentMillesime(A, on);
    // A's exports; its SIECLE exports and EDT's emp_sts are in its inboxes already (`synchro drop`),
    // the two files of the journey are not. The élève-groupe file names a group SIECLE does not know.
    const mine = await writeGeneratedFiles(path.join(root, 'exports-A'), A, { millesime, seed: 71, faults: [{ kind: 'unknown-group' }] });
    for (const file of [...mine.siecleExports, mine.byRole['emp-sts']!]) await dropFile(dataDir, A, file);
    const stsEmp = mine.byRole['sts-emp']!;
    const zip = mine.byRole.elegroupe!;
    const theirs = await writeGeneratedFiles(path.join(root, 'exports-B'), B, { millesime, seed: 72 });
    const siecleInbox = path.join(dataDir, 'schools', A, 'siecle', 'inbox');
    const expected = await synchroCheck([stsEmp, zip], siecleInbox, A, on);

    await harness.withRealWorker(dataDir, async (taskQueue) => {
      server = await startWebServer({
        db: harness.db, dataDir, temporal: { client: harness.client, taskQueue },
        settings: { web: { host: '127.0.0.1', port: Number(new URL(webUrl).port), oidc: idp!.settings }, temporal: { namespace: 'default' } },
        onError: (error) => serverErrors.push(error),
      });
      expect(server.url).toBe(webUrl);
      // Both years as `synchro start` runs them; the manual 4a and 4b are confirmed at once (the
      // demo's setting); a step waiting for its file would look again in an hour.
      const years = await Promise.all([A, B].map((uai) => harness.client.workflow.start(schoolYear, {
        taskQueue, workflowId: schoolYearWorkflowId(uai, millesime),
        args: [{ uai, millesime, businessDate: on, timings: { fileRetryInterval: '1 hour' }, confirmAutomatically: true }],
      })));
      try {
        const waiting = await until("A's STS-Web → EDT waiting for its file", async () => (await latestRun(A, 'sts-edt'))?.status === 'waiting-file' && latestRun(A, 'sts-edt'));
        const bRun = await until("a run of B's in the ledger", () => latestRun(B, 'sts-edt'));

        // Signed in through the provider's pages, straight back to A's page.
        const { context, page } = await signInThroughProvider(browser!, webUrl, 'agent-ampere', `/etablissement/${A}`);
        expect(await page.locator('h1').textContent()).toBe(`${A} — Collège Ampère`);
        expect(await stepStatus(page, 'sts-edt')).toBe('waiting-file');
        const todo = await page.locator('section.step[data-step="sts-edt"] .next').textContent();
        expect(todo).toContain('Fichier attendu. Dans STS-Web > Exports > Emploi du temps : ');

        // The sts_emp, chosen in the page's file input, sent by /portail.js.
        await page.setInputFiles('#fichiers', stsEmp);
        const stsReport = await reportOn(page, path.basename(stsEmp));
        const stsExpected = expected.find((f) => f.file.endsWith(path.basename(stsEmp)))!;
        expect(stsReport).toMatchObject({ verdict: stsExpected.verdict, outcome: 'deposited', codes: codeCounts(stsExpected.anomalies) });
        expect(stsReport.decision).toContain("l'étape qui l'attend est prévenue et reprend sans attendre");
        const uploadedAt = Date.now();

        // The run that waited (the same ledger row) looked again at once and succeeded.
        const resumed = await until('STS-Web → EDT to finish', async () => {
          const run = await latestRun(A, 'sts-edt');
          return run && run.id === waiting.id && ['succeeded', 'succeeded-with-anomalies'].includes(run.status) && run;
        }, 60);
        expect(resumed.inputSha256).toBe(createHash('sha256').update(await readFile(stsEmp)).digest('hex'));
        expect(Date.now() - uploadedAt).toBeLessThan(60_000);
        await page.reload();
        expect(await stepStatus(page, 'sts-edt')).toBe(resumed.status);

        // The chain went on (EDT → STS-Web, 4a, 4b) to the élève-groupe step, which waits for PRONOTE's zip.
        const eleGroupe = await until('the élève-groupe step waiting for its file', async () => (await latestRun(A, 'pronote-siecle-elegroupe'))?.status === 'waiting-file' && latestRun(A, 'pronote-siecle-elegroupe'));
        await page.reload();
        expect(await stepStatus(page, 'pronote-siecle-elegroupe')).toBe('waiting-file');

        // The zip, through that step's own input: the compte-rendu SIECLE will print, predicted.
        await page.setInputFiles('section.step[data-step="pronote-siecle-elegroupe"] input[type=file]', zip);
        const zipReport = await reportOn(page, path.basename(zip));
        const zipExpected = expected.find((f) => f.file.endsWith(path.basename(zip)))!;
        expect(zipExpected.verdict).toBe('accepted-with-anomalies');
        expect(codeCounts(zipExpected.anomalies).map(([code]) => code)).toContain('GROUPE_A_01');
        expect(zipReport).toMatchObject({ verdict: zipExpected.verdict, outcome: 'deposited', codes: codeCounts(zipExpected.anomalies) });
        const c = zipExpected.counts;
        expect(c.read).toBe(60);
        expect(zipReport.text).toContain("Compte-rendu d'import des liens élève-groupe (simulation du traitement de nuit)");
        expect(zipReport.text).toContain(`Élèves : ${c.read} lus, ${c.imported} importés (REINIT_ELGRP), ${c.partial} partiellement (PAR), ${c.rejected} rejetés (REJ_ELGRP), ${c.absent} absents du fichier (ABS).`);

        // The step that waited resumed: the file is in SIECLE's hands, the run waits for the night.
        const deposited = await until('the élève-groupe file deposited', async () => {
          const run = await latestRun(A, 'pronote-siecle-elegroupe');
          return run && run.id === eleGroupe.id && run.status === 'running' && run.inputSha256 !== null && run;
        }, 60);
        expect(deposited.inputSha256).toBe(createHash('sha256').update(await readFile(zip)).digest('hex'));
        await page.reload();
        expect(await stepStatus(page, 'pronote-siecle-elegroupe')).toBe('running');
        expect(await page.locator('section.step[data-step="pronote-siecle-elegroupe"] .next').textContent()).toContain('il sera traité cette nuit');

        // SIECLE's night: the run ends with what the page predicted.
        await harness.client.workflow.execute(nightlyEleGroupe, { taskQueue, workflowId: `nightly/${randomUUID()}`, args: [{ night: on, uais: [A] }] });
        const night = await until('the night to finish the run', async () => {
          const run = await latestRun(A, 'pronote-siecle-elegroupe');
          return run && run.id === eleGroupe.id && run.status !== 'running' && run;
        }, 60);
        expect(night.status).toBe('succeeded-with-anomalies');
        expect(codeCounts(await listAnomaliesByRun(harness.db, night.id))).toEqual(zipReport.codes);
        await page.reload();
        expect(await stepStatus(page, 'pronote-siecle-elegroupe')).toBe('succeeded-with-anomalies');

        // School B, for A's staff: 404 everywhere, word for word as a school or run that does not exist.
        const csrf = (await page.locator('#depot').getAttribute('data-csrf'))!;
        const missing = await page.request.get(`${webUrl}/etablissement/0693999Z`);
        const missingRun = await page.request.get(`${webUrl}/runs/999999999`);
        for (const [url, like] of [[`/etablissement/${B}`, missing], [`/ecoles/${B}`, missing], [`/runs/${bRun.id}`, missingRun]] as const) {
          const response = await page.goto(`${webUrl}${url}`);
          expect(response!.status(), url).toBe(404);
          const body = await page.content();
          expect(body).not.toContain('Canuts');
          expect(mainOf(await response!.text(), B, bRun.id)).toBe(mainOf(await like.text(), '0693999Z', 999999999));
        }
        const headers = { origin: webUrl, 'x-csrf-token': csrf };
        expect((await page.request.post(`${webUrl}/runs/${bRun.id}/relancer`, { headers })).status()).toBe(404);
        const foreignUpload = await page.request.put(`${webUrl}/etablissement/${B}/depot?nom=${encodeURIComponent(path.basename(theirs.byRole['sts-emp']!))}`, {
          headers: { ...headers, 'content-type': 'application/octet-stream' }, data: await readFile(theirs.byRole['sts-emp']!),
        });
        expect(foreignUpload.status()).toBe(404);
        expect(await readdir(path.join(dataDir, 'schools', B, 'sts', 'inbox')).catch((): string[] => [])).toEqual([]);
        // Its own page's audit log: the two uploads, by this person.
        await page.goto(`${webUrl}/etablissement/${A}`);
        expect(await page.locator('table.audit tr[data-action="upload"]').count()).toBe(2);
        await context.close();

        const uploads = (await listAudit(harness.db, { uai: A })).filter((e) => e.action === 'upload');
        expect(uploads.map((e) => [e.actorSubject, (e.details as { name: string }).name, e.address])).toEqual([
          ['agent-ampere', path.basename(zip), '127.0.0.1'],
          ['agent-ampere', path.basename(stsEmp), '127.0.0.1'],
        ]);
        expect((await listAudit(harness.db, { uai: B })).filter((e) => e.action === 'upload')).toEqual([]);

        // The académie admin sees both schools, and B's page.
        const admin = await signInThroughProvider(browser!, webUrl, 'dafpic-admin', '/');
        const rows = await Promise.all((await admin.page.locator('table.grid tbody tr').all()).map((r) => r.getAttribute('data-uai')));
        expect(rows.sort()).toEqual([A, B].sort());
        expect((await admin.page.goto(`${webUrl}/etablissement/${B}`))!.status()).toBe(200);
        expect(await admin.page.locator('h1').textContent()).toBe(`${B} — Collège des Canuts`);
        expect((await admin.page.goto(`${webUrl}/runs/${bRun.id}`))!.status()).toBe(200);
        await admin.context.close();
        expect(serverErrors).toEqual([]);
      } finally {
        await Promise.all(years.map((y) => y.terminate('fin du test').catch(() => undefined)));
      }
    });
  }, 300_000);
});
