// The embedded Temporal server killed (SIGKILL) in the middle of SIECLE's night, then started
// again on the same SQLite file and port, as `synchro start` would after a crash: the worker
// reconnects, the night completes, and every school's élève-groupe file was deposited once and
// processed once. A server of the test's own (not the shared one of global-setup.ts), with the
// real activities on sandbox schools.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { startEmbeddedServer, type EmbeddedServer } from '../../client/temporal/embedded-server';
import { provisionSandboxSchool, type ProvisionedSchool } from '../../connectors';
import { hasWaitingDeposit } from '../../connectors/night';
import { migrate, openDb, type Db, type OpenedDb } from '../../db/client';
import { NIGHT_PROCESSING_STEP } from '../../db/queries/deposits';
import { listStepRuns } from '../../db/queries/step-runs';
import { deposits } from '../../db/schema';
import { uaiCheckLetter } from '../../formats/uai';
import { academy, nightlyEleGroupe } from '../../workflows';
import { createWorkerDependencies } from '../../worker/dependencies';
import { createWorker } from '../../worker/worker';
import { freePort } from '../support/cli';

const BUSINESS_DATE = '2026-03-02';
const MILLESIME = 2025;
const STEP = 'pronote-siecle-elegroupe';
const FINISHED = ['succeeded', 'succeeded-with-anomalies'];
/** Paris collèges 0751101…0751106: workflow ids are per UAI, no other test uses these. */
const UAIS = Array.from({ length: 6 }, (_, i) => {
  const digits = `07511${String(i + 1).padStart(2, '0')}`;
  return `${digits}${uaiCheckLetter(digits)}`;
});

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function nightsDone(db: Db): Promise<number> {
  const runs = await listStepRuns(db, { step: STEP, millesime: MILLESIME });
  return new Set(runs.filter((r) => UAIS.includes(r.uai) && FINISHED.includes(r.status)).map((r) => r.uai)).size;
}

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch((error: unknown) => console.error(error));
});

describe('the embedded Temporal server killed in the middle of the night', () => {
  it('comes back on its SQLite file, and the night completes with one deposit and one processing per school', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-temporal-restart-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const dbFilename = path.join(dataDir, 'temporal.sqlite');
    const port = await freePort();
    let server: EmbeddedServer = await startEmbeddedServer({ dbFilename, port });
    cleanup.push(() => server.stop());
    if (!server.kill) throw new Error('the embedded server was downloaded by the SDK: it cannot be killed by this test');

    const opened: OpenedDb = await openDb({ inMemory: true });
    cleanup.push(() => opened.close());
    await migrate(opened.db);
    const db = opened.db;
    const schools: ProvisionedSchool[] = [];
    for (const [i, uai] of UAIS.entries()) {
      schools.push(await provisionSandboxSchool({ dataDir, db, uai, kind: 'college', millesime: MILLESIME, seed: 300 + i, faults: i % 2 === 0 ? [{ kind: 'unknown-group' }] : [] }));
    }

    const connection = await Connection.connect({ address: server.address });
    cleanup.push(() => connection.close());
    const client = new Client({ connection, namespace: server.namespace });
    const native = await NativeConnection.connect({ address: server.address });
    cleanup.push(() => native.close());
    const taskQueue = `temporal-restart-${randomUUID()}`;
    const worker = await createWorker({
      connection: native,
      namespace: server.namespace,
      taskQueue,
      activities: createActivities(createWorkerDependencies({ dataDir }, db)),
    });
    const running = worker.run();
    cleanup.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
    });

    const yearId = `academie/TEMPORAL-RESTART/${randomUUID()}`;
    await client.workflow.start(academy, {
      taskQueue,
      workflowId: yearId,
      args: [{ academie: 'TEMPORAL-RESTART', kind: 'year', millesime: MILLESIME, businessDate: BUSINESS_DATE, uais: UAIS, concurrency: UAIS.length, confirmAutomatically: true }],
    });
    await waitFor('the élève-groupe deposits', async () => (await Promise.all(UAIS.map((uai) => hasWaitingDeposit(db, dataDir, uai, MILLESIME)))).every(Boolean), 120_000, 250);

    const nightId = `nightly-elegroupe/${BUSINESS_DATE}/${randomUUID()}`;
    await client.workflow.start(nightlyEleGroupe, { taskQueue, workflowId: nightId, args: [{ night: BUSINESS_DATE, uais: UAIS, concurrency: 1 }] });
    await waitFor('a first school processed', async () => (await nightsDone(db)) >= 1, 60_000, 20);

    await server.kill();
    const doneAtKill = await nightsDone(db);
    console.log(`embedded Temporal killed with ${doneAtKill} of ${UAIS.length} schools processed`);
    expect(doneAtKill).toBeLessThan(UAIS.length);
    // Down for a while, as after a crash, then started again on the same file and port.
    await new Promise((r) => setTimeout(r, 3_000));
    server = await startEmbeddedServer({ dbFilename, port });

    const night = await client.workflow.getHandle<typeof nightlyEleGroupe>(nightId).result();
    expect(night.outcomes.map((o) => [o.uai, o.processed])).toEqual([...UAIS].sort().map((uai) => [uai, true]));
    expect(await client.workflow.getHandle<typeof academy>(yearId).result()).toMatchObject({ succeeded: UAIS.length, failed: 0 });

    const all = await db.select().from(deposits);
    for (const uai of UAIS) {
      const mine = all.filter((d) => d.uai === uai);
      const perStep = new Map<string, number>();
      for (const d of mine) perStep.set(d.step, (perStep.get(d.step) ?? 0) + 1);
      for (const [step, count] of perStep) expect(count, `${uai} ${step}`).toBe(1);
      const deposit = mine.find((d) => d.step === STEP);
      const processing = mine.find((d) => (d.step as string) === NIGHT_PROCESSING_STEP);
      expect(processing?.inputSha256, uai).toBe(deposit?.inputSha256);
      const runs = await listStepRuns(db, { uai, millesime: MILLESIME });
      expect(runs.filter((r) => r.step === STEP).map((r) => r.status), uai).toEqual([schools.find((s) => s.uai === uai)!.injected.length ? 'succeeded-with-anomalies' : 'succeeded']);
    }
  }, 300_000);
});
