// Exactly once: a deposit raced by two runs of the same input is written by one of them; SIECLE's
// night, run twice (a retry, a re-run after a crash) or twice at once, processes the file once.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderConnector } from '../../../connectors/folder';
import type { Connector } from '../../../connectors/types';
import { deposits } from '../../../db/schema';
import { openSandboxSchool } from '../../support/sandbox-school';
import { request, SCHOOLS, type Harness } from '../../support/step-harness';
import { runStepOn } from '../../../activities/step-ports';

const school = SCHOOLS[1];
const night = { uai: school.uai, millesime: school.millesime, night: school.businessDate, businessDate: school.businessDate };

describe('exactly once', () => {
  let h: Harness;
  let connector: Connector;
  beforeEach(async () => {
    ({ h, connector } = await openSandboxSchool(school, { seed: 5 }));
  });
  afterEach(() => h.close());

  it.each(['sts-edt', 'siecle-pronote', 'pronote-siecle-elegroupe', 'lsu-bilans'] as const)('%s run twice at once deposits once', async (step) => {
    const outcomes = await Promise.all([runStepOn(h, connector, request(school, step), h.env), runStepOn(h, connector, request(school, step), h.env)]);
    const deposited = outcomes.map((o) => (o.kind === 'waiting-file' ? undefined : o.deposited));
    expect(deposited.sort()).toEqual([false, true]);
    const rows = await h.db.select().from(deposits);
    expect(rows.map((r) => r.step)).toEqual([step]);
  });

  it('a third run of the same input later deposits nothing more', async () => {
    await runStepOn(h, connector, request(school, 'sts-edt'), h.env);
    expect(await runStepOn(h, connector, request(school, 'sts-edt'), { ...h.env, attempt: 2 })).toMatchObject({ kind: 'done', deposited: false });
    expect(await readdir(join(h.dataDir, 'schools', school.uai, 'edt', 'outbox'))).toEqual([`sts_emp_${school.uai}_${school.stsMillesime}.xml`]);
  });

  it('the night run twice processes once: the retry gets the same compte-rendu back, a later night nothing', async () => {
    await runStepOn(h, connector, request(school, 'pronote-siecle-elegroupe'), h.env);
    expect(await connector.hasWaitingDeposit(school.uai, school.millesime)).toBe(true);
    const first = await connector.processNight(night, h.env);
    const retry = await connector.processNight(night, { ...h.env, attempt: 2 });
    expect([first.processed, first.replayed, retry.processed, retry.replayed]).toEqual([true, undefined, true, true]);
    expect(retry.anomalies).toEqual(first.anomalies);
    expect(retry.counts).toEqual(first.counts);
    const later = await connector.processNight({ ...night, night: '2099-01-02' }, h.env);
    expect(later).toEqual({ processed: false, anomalies: [] });
    expect(await connector.hasWaitingDeposit(school.uai, school.millesime)).toBe(false);
  });

  it('two nights at once (a re-run beside a retry): one processes, on any connector of the school', async () => {
    await runStepOn(h, connector, request(school, 'pronote-siecle-elegroupe'), h.env);
    const folder = createFolderConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    const results = await Promise.all([connector.processNight(night, h.env), folder.processNight(night, h.env), connector.processNight(night, h.env)]);
    expect(results.filter((r) => r.processed && !r.replayed)).toHaveLength(1);
  });

  it('a night with nothing deposited processes nothing', async () => {
    expect(await connector.processNight(night, h.env)).toEqual({ processed: false, anomalies: [] });
  });
});
