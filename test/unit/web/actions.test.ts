import { beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../../db/queries/audit';
import { listStepRuns, setStepStatus } from '../../../db/queries/step-runs';
import { fakeTemporal, useDemoDashboard } from './web-harness';

const dashboard = useDemoDashboard();

async function runId(uai: string, step: string): Promise<number> {
  const run = (await listStepRuns(dashboard.db, { uai, step: step as never }))[0];
  if (!run) throw new Error(`no ${step} run for ${uai}`);
  return run.id;
}

// The demo's run ended with nothing failed or waiting: two recorded runs are put in states the
// chain reaches (SIECLE's night refusing the élève-groupe file, the year waiting for the 4a button).
beforeAll(async () => {
  await setStepStatus(dashboard.db, await runId('0750680G', 'pronote-siecle-elegroupe'), 'failed');
  await setStepStatus(dashboard.db, await runId('9830418M', 'sts-siecle-structure'), 'waiting-person');
});

const form = (fields: Record<string, string>): RequestInit => ({ method: 'POST', body: new URLSearchParams(fields) });

describe('the dashboard actions', () => {
  it('refuse an anonymous POST with 401 (no sign-in, no token) and a wrong bearer token', async () => {
    const temporal = fakeTemporal();
    const id = await runId('0750680G', 'pronote-siecle-elegroupe');
    const anonymous = dashboard.app({ anonymous: true, temporal: { client: temporal.client, taskQueue: 'q' } });
    const response = await anonymous.request(`/runs/${id}/relancer`, form({ token: 'anything' }));
    expect(response.status).toBe(401);
    expect(response.headers.get('connection')).toBe('close');
    const app = dashboard.app({ token: 's3cret', temporal: { client: temporal.client, taskQueue: 'q' } });
    expect((await app.request(`/runs/${id}/relancer`, { method: 'POST', headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await app.request(`/runs/${id}/relancer`, { method: 'POST', headers: { authorization: 'Bearer s3cre' } })).status).toBe(401);
    expect(temporal.started).toEqual([]);
  });

  it('take the bearer token from scripts, and record the re-run in the audit log as "jeton"', async () => {
    const temporal = fakeTemporal();
    const app = dashboard.app({ token: 's3cret', temporal: { client: temporal.client, taskQueue: 'q' } });
    const id = await runId('0750680G', 'pronote-siecle-elegroupe');
    const ok = await app.request(`/runs/${id}/relancer`, { method: 'POST', headers: { authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain(`Relance de l&#39;exécution ${id} démarrée`);
    expect(temporal.started).toHaveLength(1);
    const started = temporal.started[0]!;
    expect(started.type).toBe('stepRun');
    expect(started.options.taskQueue).toBe('q');
    expect(started.options.workflowId).toBe(`rerun/0750680G/2025/pronote-siecle-elegroupe/${id}/1`);
    expect(started.options.args).toEqual([{ businessDate: '2026-03-02', night: '2026-03-02', uai: '0750680G', millesime: 2025, step: 'pronote-siecle-elegroupe', inputSha256: (await listStepRuns(dashboard.db, { uai: '0750680G', step: 'pronote-siecle-elegroupe' }))[0]!.inputSha256, rerunOf: id }]);
    // A night's run is re-run for the same night, on the file it read.
    expect(started.options.args).toMatchObject([{ inputSha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown }]);
    const [entry] = await listAudit(dashboard.db, { uai: '0750680G' });
    expect(entry).toMatchObject({ actorSubject: 'jeton', action: 'rerun', details: { stepRunId: id, workflowId: started.options.workflowId } });
  });

  it('re-run only a failed run', async () => {
    const temporal = fakeTemporal();
    const app = dashboard.app({ token: 's3cret', temporal: { client: temporal.client, taskQueue: 'q' } });
    const response = await app.request(`/runs/${await runId('0750680G', 'sts-edt')}/relancer`, form({}));
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('n&#39;a pas échoué');
    expect((await app.request('/runs/999999/relancer', form({}))).status).toBe(404);
    expect(temporal.started).toEqual([]);
  });

  it("confirm a manual step through the school-year workflow's update, and say so when that workflow is not running", async () => {
    const id = await runId('9830418M', 'sts-siecle-structure');
    const running = fakeTemporal(new Set(['school-year/9830418M/2025']));
    const ok = await dashboard.app({ token: 's3cret', temporal: { client: running.client, taskQueue: 'q' } }).request(`/runs/${id}/confirmer`, form({}));
    expect(ok.status).toBe(200);
    expect(running.updates).toEqual([{ workflowId: 'school-year/9830418M/2025', args: [{ step: 'sts-siecle-structure', by: 'jeton' }] }]);

    const stopped = fakeTemporal();
    const refused = await dashboard.app({ token: 's3cret', temporal: { client: stopped.client, taskQueue: 'q' } }).request(`/runs/${id}/confirmer`, form({}));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('n&#39;est pas en cours dans Temporal');
    expect(stopped.updates).toEqual([]);
  });

  it('answer 503 when the dashboard has no Temporal connection', async () => {
    const id = await runId('0750680G', 'pronote-siecle-elegroupe');
    const response = await dashboard.app({ token: 's3cret' }).request(`/runs/${id}/relancer`, form({}));
    expect(response.status).toBe(503);
  });
});
