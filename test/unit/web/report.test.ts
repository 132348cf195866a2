import { describe, expect, it } from 'vitest';
import { listStepRuns, setStepStatus } from '../../../db/queries/step-runs';
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
    // Nouvelle-Calédonie's élève-groupe run: the unknown group and the two dates outside its calendar injected by the generator.
    const id = await runId('9830418M', 'pronote-siecle-elegroupe');
    const response = await dashboard.app().request(`/runs/${id}`);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toMatch(/data-level="warning">3</);
    expect(body).toMatch(/data-level="info">1</);
    expect(body).toMatch(/data-level="error">0</);
    const page = text(body);
    // Warnings before information, with the SIECLE family sentence.
    expect(page).toContain("01 Avertissement GROUPE_A_01 GROUPE — L'inscription de l'élève dans un groupe est invalide.");
    expect(page).toMatch(/ELEGRP_A_02 ELEGRP — Les dates d'inscription de l'élève dans un groupe sont invalides\. 01 Informatif CODE_GROUPE_LONG/);
    expect(page).toContain('ELEGRP_A_03 (ELEGRP) — 1');
    expect(page).toContain('Cause Différence de calendrier entre SIECLE et PRONOTE');
    expect(page).toContain('élève 1728861 · groupe 6DG1');
    expect(page).toContain('Le groupe "MPERMANGR2" n\'est pas référencé.');
    expect(page).toContain('Nuit 2026-03-02');
  });

  it("reads like LSU's rapport d'exécution for the bilans: labels with counts", async () => {
    const body = text(await (await dashboard.app().request(`/runs/${await runId('0750680G', 'lsu-bilans')}`)).text());
    expect(body).toContain('01 Avertissement LSU_ENSEIGNANT_INCONNU Enseignant inconnu');
    expect(body).toContain('enseignant 33727');
    expect(body).toContain('période 1');
  });

  it('offers "Relancer" on a failed run and "Confirmer l\'étape" on a step waiting for a person, only when Temporal is reachable', async () => {
    // The demo's run ended with nothing failed or waiting: two recorded runs are put in states the
    // chain reaches (a night refusing the file, the year waiting for the 4a button).
    const failed = await runId('0660864F', 'pronote-siecle-elegroupe');
    const waiting = await runId('0660864F', 'sts-siecle-structure');
    await setStepStatus(dashboard.db, failed, 'failed');
    await setStepStatus(dashboard.db, waiting, 'waiting-person');
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
    const run = (await listStepRuns(dashboard.db, { uai: '0750680G' })).find((r) => r.step === 'pronote-siecle-elegroupe')!;
    const body = await (await dashboard.app({ temporalUiUrl: 'http://temporal.local:8233' }).request(`/runs/${run.id}`)).text();
    expect(run.runId).not.toBe('');
    expect(body).toContain(`href="http://temporal.local:8233/namespaces/default/workflows/school-year%2F0750680G%2F2025%2Fpronote-siecle-elegroupe/${run.runId}/history"`);
    expect(await (await dashboard.app().request(`/runs/${run.id}`)).text()).not.toContain('Temporal UI');
  });

  it('answers 404 in French for a run that does not exist', async () => {
    const response = await dashboard.app().request('/runs/999999');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Exécution introuvable');
    expect((await dashboard.app().request('/runs/abc')).status).toBe(404);
  });
});

describe("a school's timeline", () => {
  it('lists every run newest first, the year and the term apart', async () => {
    const body = await (await dashboard.app().request('/ecoles/0750680G')).text();
    const ids = [...body.matchAll(/<tr><td><a href="\/runs\/(\d+)">/g)].map((m) => Number(m[1]));
    // Eight steps, LSU's base sync once for the year and once for the first term.
    expect(ids.length).toBe(9);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(text(body)).toMatch(/Élève-groupe 2025 — Réussie avec anomalies 1 .* 2026-03-02 A 1 · I 1/);
    expect((await dashboard.app().request('/ecoles/0000000A')).status).toBe(404);
  });
});
