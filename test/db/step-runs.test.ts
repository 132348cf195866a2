import { expect, it } from 'vitest';
import { insertAnomalies, listAnomaliesByRun } from '../../db/queries/anomalies';
import {
  finishStepRun,
  getStepRun,
  listFailedRunsOfNight,
  listLatestStepRuns,
  listReruns,
  listStepRuns,
  setStepStatus,
  startStepRun,
  stepRunKey,
  type StepRunStart,
} from '../../db/queries/step-runs';
import { describeOnDrivers } from './drivers';

const noCounts = { info: 0, warning: 0, error: 0, blocking: 0 };
let next = 0;
/** A UAI of its own per test, so the cases share one database without seeing each other. */
const uniqueUai = (): string => `07${String(++next).padStart(5, '0')}X`;
const run = (over: Partial<StepRunStart> & Pick<StepRunStart, 'uai'>): StepRunStart => ({
  millesime: 2025,
  step: 'siecle-pronote',
  workflowId: 'wf-1',
  runId: 'run-1',
  ...over,
});

describeOnDrivers('step runs', (ctx) => {
  it('start idempotently: a retry finds the same row, counts the attempt and drops its anomalies', async () => {
    const db = ctx.db();
    const uai = uniqueUai();
    const first = await startStepRun(db, run({ uai, inputSha256: 'a'.repeat(64) }));
    expect(first).toMatchObject({ status: 'running', attempts: 1, idempotencyKey: `${uai}|2025|siecle-pronote|-|${'a'.repeat(64)}` });
    expect(first.startedAt).toBeInstanceOf(Date);
    await insertAnomalies(db, [{ code: 'X', level: 'warning', message: 'm', stepRunId: first.id }]);
    await finishStepRun(db, first.id, 'failed', { ...noCounts, warning: 1 });

    const retry = await startStepRun(db, run({ uai, inputSha256: 'a'.repeat(64), runId: 'run-2' }));
    expect(retry).toMatchObject({ id: first.id, attempts: 2, status: 'running', runId: 'run-2', finishedAt: null, warningCount: 0 });
    expect(await listAnomaliesByRun(db, first.id)).toEqual([]);
    expect(await listStepRuns(db, { uai })).toHaveLength(1);

    const otherInput = await startStepRun(db, run({ uai, inputSha256: 'b'.repeat(64) }));
    const otherPeriod = await startStepRun(db, run({ uai, inputSha256: 'a'.repeat(64), period: 2 }));
    expect(new Set([first.id, otherInput.id, otherPeriod.id]).size).toBe(3);
  });

  it('start once under concurrency: five simultaneous attempts make one row with five attempts', async () => {
    const db = ctx.db();
    const uai = uniqueUai();
    const rows = await Promise.all(Array.from({ length: 5 }, () => startStepRun(db, run({ uai }))));
    expect(new Set(rows.map((r) => r.id)).size).toBe(1);
    expect((await getStepRun(db, rows[0]!.id))?.attempts).toBe(5);
  });

  it('finish with counts and move through the waiting states', async () => {
    const db = ctx.db();
    const started = await startStepRun(db, run({ uai: uniqueUai() }));
    expect((await setStepStatus(db, started.id, 'waiting-person')).status).toBe('waiting-person');
    const finished = await finishStepRun(db, started.id, 'succeeded-with-anomalies', { info: 3, warning: 2, error: 1, blocking: 0 });
    expect(finished).toMatchObject({ status: 'succeeded-with-anomalies', infoCount: 3, warningCount: 2, errorCount: 1, blockingCount: 0 });
    expect(finished.finishedAt).toBeInstanceOf(Date);
    await expect(finishStepRun(db, 987_654_321, 'failed', noCounts)).rejects.toThrow('Step run 987654321 does not exist.');
  });

  it('list the latest run of each step per school and millésime', async () => {
    const db = ctx.db();
    const [uai, other] = [uniqueUai(), uniqueUai()];
    const old = await startStepRun(db, run({ uai, step: 'sts-edt', inputSha256: '1' }));
    await finishStepRun(db, old.id, 'failed', { ...noCounts, blocking: 1 });
    const latest = await startStepRun(db, run({ uai, step: 'sts-edt', inputSha256: '2' }));
    await finishStepRun(db, latest.id, 'succeeded', noCounts);
    const elegroupe = await startStepRun(db, run({ uai, step: 'pronote-siecle-elegroupe' }));
    const lastYear = await startStepRun(db, run({ uai, step: 'sts-edt', millesime: 2024 }));
    await startStepRun(db, run({ uai: other, step: 'sts-edt' }));

    const status = await listLatestStepRuns(db, { uai });
    expect(status.map((r) => [r.millesime, r.step, r.id, r.status])).toEqual([
      [2024, 'sts-edt', lastYear.id, 'running'],
      [2025, 'pronote-siecle-elegroupe', elegroupe.id, 'running'],
      [2025, 'sts-edt', latest.id, 'succeeded'],
    ]);
    expect(await listLatestStepRuns(db, { uai, millesime: 2025 })).toHaveLength(2);
    expect((await listLatestStepRuns(db)).filter((r) => r.uai === other)).toHaveLength(1);
  });

  it('list the failed runs of a night, and only those', async () => {
    const db = ctx.db();
    const uai = uniqueUai();
    const night = '2031-03-04';
    const start = (step: StepRunStart['step'], n: string) => startStepRun(db, run({ uai, step, night: n, workflowId: `nightly-${n}` }));
    const failed = await start('pronote-siecle-elegroupe', night);
    await finishStepRun(db, failed.id, 'failed', { ...noCounts, error: 2 });
    const ok = await start('lsu-base-sync', night);
    await finishStepRun(db, ok.id, 'succeeded', noCounts);
    const otherNight = await start('lsu-bilans', '2031-03-05');
    await finishStepRun(db, otherNight.id, 'failed', noCounts);

    const report = await listFailedRunsOfNight(db, night);
    expect(report.map((r) => [r.id, r.uai, r.night, r.errorCount])).toEqual([[failed.id, uai, night, 2]]);
  });

  it('link a re-run to the failed run it repeats, as a new row that is itself idempotent', async () => {
    const db = ctx.db();
    const uai = uniqueUai();
    const failed = await startStepRun(db, run({ uai, inputSha256: 'c'.repeat(64) }));
    await finishStepRun(db, failed.id, 'failed', { ...noCounts, blocking: 1 });

    const rerun = await startStepRun(db, run({ uai, inputSha256: 'c'.repeat(64), rerunOf: failed.id, workflowId: 'wf-rerun' }));
    expect(rerun.id).not.toBe(failed.id);
    expect(rerun).toMatchObject({ rerunOf: failed.id, attempts: 1, status: 'running' });
    expect(rerun.idempotencyKey).toBe(`${stepRunKey(run({ uai, inputSha256: 'c'.repeat(64) }))}|rerun-of:${failed.id}`);
    expect((await startStepRun(db, run({ uai, inputSha256: 'c'.repeat(64), rerunOf: failed.id }))).id).toBe(rerun.id);
    expect((await listReruns(db, failed.id)).map((r) => r.id)).toEqual([rerun.id]);
    expect((await getStepRun(db, failed.id))?.status).toBe('failed');
  });
});
