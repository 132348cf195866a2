// `npx tsx scripts/record-histories.ts`: runs the chain's workflows once on an embedded dev server
// (connector doubles, in-memory PGlite) and saves their histories under test/temporal/histories/.
// The replay test replays them against the current code: a change that would break workflows
// already running fails CI. Record again only for a deliberate, versioned change of a workflow.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { startEmbeddedServer } from '../client/temporal/embedded-server';
import { migrate, openDb } from '../db/client';
import { connectorDouble, MemoryStore } from '../test/support/connector-double';
import { createWorker } from '../worker/worker';
import { academy, nightlyEleGroupe, schoolYear } from '../workflows';
import { confirmManualStep, stepStates } from '../workflows/messages';

const OUT = path.resolve('test/temporal/histories');
const server = await startEmbeddedServer();
const database = await openDb({ inMemory: true });
await migrate(database.db);
const connection = await Connection.connect({ address: server.address });
const nativeConnection = await NativeConnection.connect({ address: server.address });
const client = new Client({ connection });
const connector = connectorDouble(
  (request) =>
    Promise.resolve(
      request.step === 'pronote-siecle-elegroupe'
        ? { kind: 'queued-for-night', input: { key: 'k', sha256: 'a'.repeat(64), bytes: 1, name: 'x.zip' }, anomalies: [] }
        : { kind: 'done', anomalies: [] },
    ),
  { processNight: () => Promise.resolve({ processed: true, anomalies: [] }), hasWaitingDeposit: () => Promise.resolve(true) },
);
const worker = await createWorker({
  connection: nativeConnection,
  namespace: 'default',
  taskQueue: 'record',
  activities: createActivities({ db: database.db, store: new MemoryStore(), connectorFor: () => Promise.resolve(connector) }),
});
const timings = { fileRetryInterval: '200 milliseconds', maxFileChecks: 5, nightTimeout: '1 minute' };

await worker.runUntil(async () => {
  const year = await client.workflow.start(schoolYear, {
    taskQueue: 'record',
    workflowId: 'school-year/0750680G/2025',
    args: [{ uai: '0750680G', millesime: 2025, businessDate: '2025-09-15', timings }],
  });
  for (const step of ['sts-siecle-structure', 'sts-siecle-services'] as const) {
    while ((await year.query(stepStates)).find((s) => s.step === step)?.status !== 'waiting-person') await new Promise((r) => setTimeout(r, 100));
    await year.executeUpdate(confirmManualStep, { args: [{ step }] });
  }
  while ((await year.query(stepStates)).find((s) => s.step === 'pronote-siecle-elegroupe')?.status !== 'running') await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  await client.workflow.execute(nightlyEleGroupe, { taskQueue: 'record', workflowId: 'nightly-elegroupe/2025-09-15', args: [{ night: '2025-09-15' }] });
  await year.result();
  await client.workflow.execute(academy, {
    taskQueue: 'record',
    workflowId: 'academie/A01/2026/year',
    args: [{ academie: 'A01', kind: 'year', millesime: 2026, businessDate: '2026-09-15', uais: ['0750680G', '0382032C', '0660864F'], concurrency: 2, pageSize: 2, timings, confirmAutomatically: true }],
  });
});

await mkdir(OUT, { recursive: true });
// The year with a person and a night, two of its steps, the night, and every run of the académie
// (it continues as new after two schools).
const keep = [
  'school-year/0750680G/2025',
  'school-year/0750680G/2025/sts-edt',
  'school-year/0750680G/2025/pronote-siecle-elegroupe',
  'nightly-elegroupe/2025-09-15',
  'academie/A01/2026/year',
];
for (const workflowId of keep) {
  let run = 0;
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    run += 1;
    const history = await client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
    // Binary protobuf: exact, and readable back without protobufjs' JSON mapping.
    const name = `${execution.type}--${workflowId.replaceAll('/', '_')}--run${run}.history.bin`;
    await writeFile(path.join(OUT, name), proto.temporal.api.history.v1.History.encode(history).finish());
    console.log(`saved ${name} (${history.events?.length ?? 0} events)`);
  }
}
await nativeConnection.close();
await connection.close();
await database.close();
await server.stop();
