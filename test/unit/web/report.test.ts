import { describe, expect, it } from 'vitest';
import { listStepRuns } from '../../../db/queries/step-runs';
import { fakeTemporal, useDemoDashboard } from './web-harness';

const dashboard = useDemoDashboard();

async function runId(uai: string, step: string, status?: string): Promise<number> {
  const runs = await listStepRuns(dashboard.db, { uai });
  const run = runs.find((r) => r.step === step && (status === undefined || r.status === status));
  if (!run) throw new Error(`no ${step} run for ${uai}`);
  return run.id;
}

const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');

describe('the run report page', () => {
  it("reads like SIECLE's compte-rendu: counts by level, messages grouped by code with counts, then the detail with cause and correction", async () => {
    const id = await runId('0750680G', 'pronote-siecle-elegroupe');
    const response = await dashboard.app().request(`/runs/${id}`);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toMatch(/data-level="error">3</);
    expect(body).toMatch(/data-level="warning">2</);
    expect(body).toMatch(/data-level="blocking">0</);
    const page = text(body);
    // Worst first, with the SIECLE family sentence.
    expect(page).toMatch(/03 Erreur GROUPE_A_01 GROUPE — L'inscription de l'élève dans un groupe est invalide\. 02 Avertissement ELEGRP_A_02 ELEGRP/);
    expect(page).toContain('GROUPE_A_01 (GROUPE) — 3');
    expect(page).toContain("Cause Ce groupe n'est pas connu de SIECLE, il est donc ignoré.");
    expect(page).toContain('élève 2104518 · groupe 2NDE3_ESP2');
    expect(page).toContain('Le groupe "2NDE3_ESP2" n\'est pas référencé.');
    // Cause written once per group, not once per pupil.
    expect(page.split("Ce groupe n'est pas connu de SIECLE").length - 1).toBe(1);
  });

  it("reads like LSU's rapport d'exécution for the bilans: labels with counts", async () => {
    const body = text(await (await dashboard.app().request(`/runs/${await runId('0382032C', 'lsu-bilans')}`)).text());
    expect(body).toContain('03 Erreur LSU_ENSEIGNANT_INCONNU Enseignant inconnu');
    expect(body).toContain('01 Avertissement LSU_DISCIPLINES_NON_ENSEIGNEES Disciplines non enseignées');
    expect(body).toContain('période 1');
  });

  it('offers "Relancer" on a failed run and "Confirmer l\'étape" on a step waiting for a person, only when Temporal is reachable', async () => {
    const failed = await runId('0750680G', 'pronote-siecle-elegroupe');
    const waiting = await runId('9830418M', 'sts-siecle-structure');
    const succeeded = await runId('0750680G', 'sts-edt');
    const withToken = dashboard.app({ token: 's3cret', temporal: { client: fakeTemporal().client, taskQueue: 'q' } });
    const failedPage = await (await withToken.request(`/runs/${failed}`)).text();
    expect(failedPage).toContain(`action="/runs/${failed}/relancer"`);
    expect(failedPage).not.toContain('s3cret');
    expect(await (await withToken.request(`/runs/${waiting}`)).text()).toContain(`action="/runs/${waiting}/confirmer"`);
    expect(await (await withToken.request(`/runs/${succeeded}`)).text()).not.toContain('<form method="post"');
    const noTemporal = await (await dashboard.app().request(`/runs/${failed}`)).text();
    expect(noTemporal).not.toContain('<form method="post"');
    expect(noTemporal).toContain('Temporal n&#39;est pas joignable');
  });

  it('links the run to the Temporal UI when one is configured', async () => {
    const id = await runId('0750680G', 'pronote-siecle-elegroupe');
    const body = await (await dashboard.app({ temporalUiUrl: 'http://temporal.local:8233' }).request(`/runs/${id}`)).text();
    expect(body).toContain(`href="http://temporal.local:8233/namespaces/default/workflows/school-year%2F0750680G%2F2025%2Fpronote-siecle-elegroupe/demo-0750680G-pronote-siecle-elegroupe-0/history"`);
    expect(await (await dashboard.app().request(`/runs/${id}`)).text()).not.toContain('Temporal UI');
  });

  it('answers 404 in French for a run that does not exist', async () => {
    const response = await dashboard.app().request('/runs/999999');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Exécution introuvable');
    expect((await dashboard.app().request('/runs/abc')).status).toBe(404);
  });
});

describe("a school's timeline", () => {
  it('lists every run newest first, with attempts and the re-run links both ways', async () => {
    const failed = await runId('0382032C', 'pronote-siecle-elegroupe', 'failed');
    const rerun = await runId('0382032C', 'pronote-siecle-elegroupe', 'succeeded-with-anomalies');
    const body = await (await dashboard.app().request('/ecoles/0382032C')).text();
    const ids = [...body.matchAll(/<tr><td><a href="\/runs\/(\d+)">/g)].map((m) => Number(m[1]));
    expect(ids.length).toBe(9);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(body).toContain(`relance de <a href="/runs/${failed}">#${failed}</a>`);
    expect(body).toContain(`relancée par <a href="/runs/${rerun}">#${rerun}</a>`);
    expect((await dashboard.app().request('/ecoles/0000000A')).status).toBe(404);
  });
});
