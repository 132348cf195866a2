import { describe, expect, it } from 'vitest';
import { listStepRuns } from '../../../db/queries/step-runs';
import { fakeTemporal, useDemoDashboard } from './web-harness';

const dashboard = useDemoDashboard();

async function runId(uai: string, step: string): Promise<number> {
  const run = (await listStepRuns(dashboard.db, { uai, step: step as never }))[0];
  if (!run) throw new Error(`no ${step} run for ${uai}`);
  return run.id;
}

const form = (fields: Record<string, string>): RequestInit => ({ method: 'POST', body: new URLSearchParams(fields) });

describe('the dashboard actions', () => {
  it('are refused with a clear French message when no token is configured (read-only dashboard)', async () => {
    const temporal = fakeTemporal();
    const id = await runId('0750680G', 'pronote-siecle-elegroupe');
    const response = await dashboard.app({ temporal: { client: temporal.client, taskQueue: 'q' } }).request(`/runs/${id}/relancer`, form({ token: 'anything' }));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('lecture seule');
    expect(temporal.started).toEqual([]);
  });

  it('require the token, as a form field or a Bearer header', async () => {
    const temporal = fakeTemporal();
    const app = dashboard.app({ token: 's3cret', temporal: { client: temporal.client, taskQueue: 'q' } });
    const id = await runId('0750680G', 'pronote-siecle-elegroupe');
    expect((await app.request(`/runs/${id}/relancer`, form({}))).status).toBe(401);
    expect((await app.request(`/runs/${id}/relancer`, form({ token: 's3cre' }))).status).toBe(401);
    expect((await app.request(`/runs/${id}/relancer`, { method: 'POST', headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect(temporal.started).toEqual([]);

    const ok = await app.request(`/runs/${id}/relancer`, { method: 'POST', headers: { authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain(`Relance de l&#39;exécution ${id} démarrée`);
    expect(temporal.started).toHaveLength(1);
    const started = temporal.started[0]!;
    expect(started.type).toBe('stepRun');
    expect(started.options.taskQueue).toBe('q');
    expect(started.options.workflowId).toBe(`rerun/0750680G/2025/pronote-siecle-elegroupe/${id}/1`);
    expect(started.options.args).toEqual([{ businessDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown, uai: '0750680G', millesime: 2025, step: 'pronote-siecle-elegroupe', inputSha256: 'a3f1c0de', rerunOf: id }]);
  });

  it('re-run only a failed run', async () => {
    const temporal = fakeTemporal();
    const app = dashboard.app({ token: 's3cret', temporal: { client: temporal.client, taskQueue: 'q' } });
    const response = await app.request(`/runs/${await runId('0750680G', 'sts-edt')}/relancer`, form({ token: 's3cret' }));
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('n&#39;a pas échoué');
    expect((await app.request('/runs/999999/relancer', form({ token: 's3cret' }))).status).toBe(404);
    expect(temporal.started).toEqual([]);
  });

  it("confirm a manual step through the school-year workflow's update, and say so when that workflow is not running", async () => {
    const id = await runId('9830418M', 'sts-siecle-structure');
    const running = fakeTemporal(new Set(['school-year/9830418M/2025']));
    const ok = await dashboard.app({ token: 's3cret', temporal: { client: running.client, taskQueue: 'q' } }).request(`/runs/${id}/confirmer`, form({ token: 's3cret', by: 'dane.ops' }));
    expect(ok.status).toBe(200);
    expect(running.updates).toEqual([{ workflowId: 'school-year/9830418M/2025', args: [{ step: 'sts-siecle-structure', by: 'dane.ops' }] }]);

    const stopped = fakeTemporal();
    const refused = await dashboard.app({ token: 's3cret', temporal: { client: stopped.client, taskQueue: 'q' } }).request(`/runs/${id}/confirmer`, form({ token: 's3cret' }));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('n&#39;est pas en cours dans Temporal');
    expect(stopped.updates).toEqual([]);
  });

  it('answer 503 when the dashboard has no Temporal connection', async () => {
    const id = await runId('0750680G', 'pronote-siecle-elegroupe');
    const response = await dashboard.app({ token: 's3cret' }).request(`/runs/${id}/relancer`, form({ token: 's3cret' }));
    expect(response.status).toBe(503);
  });
});
