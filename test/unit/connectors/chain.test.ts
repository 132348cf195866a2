// Every step on a provisioned sandbox school ends done (élève-groupe: queued, then SIECLE's night),
// for a metropolitan collège and a Nouvelle-Calédonie one (STS-Web's millésime = SIECLE's + 1).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../../connectors/types';
import type { LsuImportReport } from '../../../rules/lsu-import';
import type { StepId } from '../../../workflows/steps';
import { openSandboxSchool } from '../../support/sandbox-school';
import { request, SCHOOLS, type Harness } from '../../support/step-harness';
import { runStepOn } from '../../../activities/step-ports';
import { parsedFiles } from '../../../steps/parsed-files';

const DAY_STEPS: StepId[] = ['sts-edt', 'siecle-pronote', 'edt-sts', 'sts-siecle-structure', 'sts-siecle-services'];

describe.each(SCHOOLS)('a sandbox collège $uai, millésime $millesime', (school) => {
  let h: Harness;
  let connector: Connector;
  beforeAll(async () => {
    const sandbox = await openSandboxSchool(school, { seed: 7, register: true });
    ({ h, connector } = sandbox);
    expect(sandbox.provisioned.injected).toEqual([]);
    expect(sandbox.provisioned.files).toContain(`sts/inbox/sts_emp_${school.uai}_${school.stsMillesime}.xml`);
  });
  afterAll(() => h.close());

  it.each(DAY_STEPS)('%s ends done without anomalies but information', async (step) => {
    const outcome = await runStepOn(h, connector, request(school, step), h.env);
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(outcome.anomalies.filter((a) => a.level !== 'info')).toEqual([]);
  });

  it('hands each file to the next application under its official name', async () => {
    const outbox = async (app: string): Promise<string[]> => (await readdir(join(h.dataDir, 'schools', school.uai, app, 'outbox'))).sort();
    expect(await outbox('edt')).toEqual([`sts_emp_${school.uai}_${school.stsMillesime}.xml`]);
    expect(await outbox('sts')).toEqual([`emp_sts_${school.uai}_${school.stsMillesime}.xml`]);
    expect(await outbox('pronote')).toHaveLength(7);
  });

  it('deposits the élève-groupe file for the night, and the night processes it once', async () => {
    const day = await runStepOn(h, connector, request(school, 'pronote-siecle-elegroupe'), h.env);
    expect(day).toMatchObject({ kind: 'queued-for-night', deposited: true });
    expect(await connector.hasWaitingDeposit(school.uai, school.millesime)).toBe(true);
    // The deposit's read is kept for the night, which reads the same bytes under the same name.
    const outbox = join(h.dataDir, 'schools', school.uai, 'siecle', 'outbox');
    const [deposited] = (await readdir(outbox)).filter((f) => /ELEGROUPE/i.test(f));
    expect((await parsedFiles.recall(deposited!, await readFile(join(outbox, deposited!))))?.kind).toBe('elegroupe');
    const night = await connector.processNight({ uai: school.uai, millesime: school.millesime, night: school.businessDate, businessDate: school.businessDate }, h.env);
    expect(night.processed).toBe(true);
    expect(night.anomalies.filter((a) => a.level !== 'info')).toEqual([]);
    expect(night.counts?.read).toBeGreaterThan(0);
    expect(night.counts?.rejected).toBe(0);
    expect(await connector.hasWaitingDeposit(school.uai, school.millesime)).toBe(false);
    const reports = await readdir(join(h.dataDir, 'schools', school.uai, 'siecle', 'reports'));
    expect(reports.filter((r) => r.startsWith('compte-rendu-'))).toHaveLength(1);
    // A re-run of the day's step after the night: done, nothing deposited again.
    expect(await runStepOn(h, connector, request(school, 'pronote-siecle-elegroupe'), h.env)).toMatchObject({ kind: 'done', deposited: false });
  });

  it('lsu-base-sync and lsu-bilans end done, with the rapport written', async () => {
    const sync = await runStepOn(h, connector, request(school, 'lsu-base-sync', 1), h.env);
    expect(sync).toMatchObject({ kind: 'done', anomalies: [] });
    const bilans = await runStepOn(h, connector, request(school, 'lsu-bilans', 1), h.env);
    expect(bilans.kind).toBe('done');
    if (bilans.kind !== 'done') return;
    expect(bilans.anomalies.filter((a) => a.level !== 'info')).toEqual([]);
    expect(h.heartbeats.length).toBeGreaterThan(0);
    const dir = join(h.dataDir, 'schools', school.uai, 'lsu', 'reports');
    const rapport = (await readdir(dir)).find((r) => r.startsWith('rapport-import_lsu_') && r.endsWith('-P1.json'))!;
    const report = JSON.parse(await readFile(join(dir, rapport), 'utf8')) as LsuImportReport;
    expect(report.periodic.processed).toBeGreaterThan(0);
    expect(report.periodic.imported).toBe(report.periodic.processed);
    expect(await readdir(join(h.dataDir, 'schools', school.uai, 'lsu', 'outbox'))).toEqual([report.file]);
  });
});
