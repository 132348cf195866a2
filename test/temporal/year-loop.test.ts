// The school year is a loop: after SIECLE's first night processed a school's élève-groupe file
// (with an unknown group), PRONOTE exports a corrected file and the school drops it. The running
// year hears of it (fileArrived, as `synchro drop` sends it), runs the step again, deposits the new
// file; the next night processes it. The ledger keeps both runs, each with its own input sha256 and
// its own anomalies: the first run's are still there. Real dev server, real worker, sandbox school.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { dropFile } from '../../client/actions/drop-file';
import { notifyFileArrived } from '../../client/actions/file-arrived';
import { runReport } from '../../client/actions/run-report';
import { renderRunReportText } from '../../client/actions/run-report-text';
import { schoolStatuses } from '../../client/actions/school-status';
import { createConnectors, createContentStore, provisionSandboxSchool } from '../../connectors';
import { listAnomaliesByRun } from '../../db/queries/anomalies';
import { NIGHT_PROCESSING_STEP } from '../../db/queries/deposits';
import { getExchangeFile } from '../../db/queries/exchange-files';
import { listStepRuns } from '../../db/queries/step-runs';
import { deposits } from '../../db/schema';
import { uaiCheckLetter } from '../../formats/uai';
import { generateSchool } from '../../generators';
import { writePronoteEleGroupe } from '../../generators/write-pronote';
import { nightlyEleGroupe, schoolYear } from '../../workflows';
import { schoolYearWorkflowId } from '../../workflows/ids';
import { stepStates } from '../../workflows/messages';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

// A year the calendar says is running (2026-2027 until the rentrée 2027): the workflow stays.
const MILLESIME = 2026;
const BUSINESS_DATE = '2026-10-05';
const UAI = `0751301${uaiCheckLetter('0751301')}`;
const STEP = 'pronote-siecle-elegroupe' as const;
const fast = { fileRetryInterval: '1 hour', maxFileChecks: 100, nightTimeout: '10 minutes' };

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, tries = 480): Promise<T> {
  for (let i = 0; i < tries; i += 1) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the school year as a loop', () => {
  it('deposits a corrected élève-groupe file dropped after the first night, processes it the next night, and keeps both runs', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-year-loop-'));
    dirs.push(dataDir);
    const spec = { uai: UAI, kind: 'college' as const, millesime: MILLESIME, seed: 77 };
    const school = await provisionSandboxSchool({ dataDir, db: harness.db, ...spec, faults: [{ kind: 'unknown-group' }] });
    const siecle = createConnectors({ dataDir, db: harness.db, store: createContentStore(dataDir) }).connectorFor({ connectorKind: 'sandbox' });
    const runs = () => listStepRuns(harness.db, { uai: UAI, millesime: MILLESIME, step: STEP });

    await harness.withRealWorker(dataDir, async (taskQueue) => {
      const year = await harness.client.workflow.start(schoolYear, {
        taskQueue, workflowId: schoolYearWorkflowId(UAI, MILLESIME),
        args: [{ uai: UAI, millesime: MILLESIME, businessDate: BUSINESS_DATE, timings: fast, confirmAutomatically: true }],
      });
      try {
        // The first deposit, and the first night.
        await until('the first deposit', () => siecle.hasWaitingDeposit(UAI, MILLESIME));
        const first = await harness.client.workflow.execute(nightlyEleGroupe, { taskQueue, workflowId: `nightly/${randomUUID()}`, args: [{ night: '2026-10-05', uais: [UAI] }] });
        expect(first.outcomes).toMatchObject([{ uai: UAI, processed: true, status: 'succeeded-with-anomalies' }]);
        await until('the first run to finish', async () => (await runs())[0]?.status === 'succeeded-with-anomalies');
        // The year is still running: it waits for what comes next.
        expect((await year.describe()).status.name).toBe('RUNNING');

        // PRONOTE's groups are put right (no unknown group); the school exports again, a day later.
        const { model } = generateSchool({ ...spec, faults: [], generatedAt: '2027-01-12T08:30:00' });
        const corrected = writePronoteEleGroupe(model);
        const exported = path.join(dataDir, corrected.zipName);
        await writeFile(exported, corrected.zip);
        const dropped = await dropFile(dataDir, UAI, exported, (file) => notifyFileArrived(harness.client, UAI, file, [MILLESIME]));

        // A second run, a second deposit, and the second night.
        await until('the second deposit', async () => (await runs()).length === 2 && (await siecle.hasWaitingDeposit(UAI, MILLESIME)));
        const second = await harness.client.workflow.execute(nightlyEleGroupe, { taskQueue, workflowId: `nightly/${randomUUID()}`, args: [{ night: '2026-10-06', uais: [UAI] }] });
        expect(second.outcomes).toMatchObject([{ uai: UAI, processed: true }]);
        await until('the second run to finish', async () => ['succeeded', 'succeeded-with-anomalies'].includes((await runs())[0]!.status));

        const [latest, earlier] = await runs();
        expect(latest!.inputSha256).toBe(dropped.sha256);
        expect(earlier!.inputSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(earlier!.inputSha256).not.toBe(latest!.inputSha256);
        // Each input is the exchange file the run moved.
        expect((await getExchangeFile(harness.db, latest!.inputSha256!))?.originalName).toBe(corrected.zipName);
        expect(await getExchangeFile(harness.db, earlier!.inputSha256!)).toBeDefined();
        // The first run's anomalies are still there, and the second run has its own.
        const expected = school.injected.filter((f) => f.file === 'elegroupe').map((f) => f.code);
        expect(expected.length).toBeGreaterThan(0);
        const earlierCodes = (await listAnomaliesByRun(harness.db, earlier!.id)).map((a) => a.code);
        expect(earlierCodes).toEqual(expect.arrayContaining(expected));
        expect(earlier).toMatchObject({ status: 'succeeded-with-anomalies', night: '2026-10-05' });
        const latestCodes = (await listAnomaliesByRun(harness.db, latest!.id)).map((a) => a.code);
        for (const code of expected) expect(latestCodes).not.toContain(code);
        expect(latest!.night).toBe('2026-10-06');

        // Two deposits, two processings: one per file.
        const rows = await harness.db.select().from(deposits).where(eq(deposits.uai, UAI));
        expect(rows.filter((d) => d.step === STEP)).toHaveLength(2);
        expect(rows.filter((d) => (d.step as string) === NIGHT_PROCESSING_STEP)).toHaveLength(2);

        // What `synchro status --json` prints: the latest run and, behind it, the earlier one, each with its input.
        const [status] = await schoolStatuses(harness.db, { uai: UAI, millesime: MILLESIME });
        const cell = status!.steps.find((s) => s.step === STEP)!;
        expect(cell).toMatchObject({ stepRunId: latest!.id, inputSha256: dropped.sha256 });
        expect(cell.runs.map((r) => [r.stepRunId, r.inputSha256, r.status])).toEqual([
          [latest!.id, latest!.inputSha256, latest!.status],
          [earlier!.id, earlier!.inputSha256, 'succeeded-with-anomalies'],
        ]);
        expect(cell.runs[1]!.anomalies.warning + cell.runs[1]!.anomalies.error).toBeGreaterThan(0);
        // What `synchro report <first run>` prints: its own anomalies, and the step's history.
        const report = (await runReport(harness.db, earlier!.id))!;
        expect(report.groups.map((g) => g.code)).toEqual(expect.arrayContaining(expected));
        expect(report.history.map((h) => h.id)).toEqual([latest!.id, earlier!.id]);
        const text = renderRunReportText(report);
        expect(text).toContain(`Fichier : sha256 ${earlier!.inputSha256}`);
        expect(text).toContain(latest!.inputSha256!.slice(0, 12));

        // The workflow's own view: the step's second run, with the new file. The run's row is
        // finished by the night's activity before the step workflow ends and the year hears of it.
        const state = await until('the year to take in the second run', async () => {
          const found = (await year.query(stepStates)).find((s) => s.step === STEP);
          return found?.inputSha256 === dropped.sha256 && found;
        });
        expect(state).toMatchObject({ runs: 2, inputSha256: dropped.sha256 });
      } finally {
        await year.terminate('fin du test');
      }
    });
  }, 300_000);
});
