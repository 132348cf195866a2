// `npx tsx scripts/record-histories.ts`: runs the chain's workflows once on an embedded dev server
// (connector doubles, in-memory PGlite) and saves their histories under test/temporal/histories/.
// The replay test replays them against the current code: a change that would break workflows
// already running fails CI. Record again only for a deliberate, versioned change of a workflow.
// Keep the histories recorded before a patch (the school year and académie of 0750680G/2025 and
// A01/2026 were recorded before 'school-year-loop' and 'academy-waits-on-children'; a year's run
// named without « -inline » before 'year-steps-inline', one named « -inline » before
// 'year-steps-local'): after recording, give the new ones a suffix of the patch's name and
// restore the old ones with git, so that years and académies already running stay covered.
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
import { academy, nightlyEleGroupe, schoolYear, stepRun } from '../workflows';
import { confirmManualStep, fileArrived, stepStates } from '../workflows/messages';

/** RECORD_DIR: somewhere else than the replay test's folder (to pick what to keep from it). */
const OUT = path.resolve(process.env.RECORD_DIR ?? 'test/temporal/histories');
const server = await startEmbeddedServer();
const database = await openDb({ inMemory: true });
await migrate(database.db);
const connection = await Connection.connect({ address: server.address });
const nativeConnection = await NativeConnection.connect({ address: server.address });
const client = new Client({ connection });
// The loop's year (0382032C/2027): its sts_emp arrives later (waiting, then fileArrived), a new
// SIECLE export after success; the step that never gets its file (9830418M) times out; SIECLE
// fails one night for 0660864F/2027.
let stsArrived = false;
const input = (name: string, sha: string) => ({ key: sha, sha256: sha.repeat(64), bytes: 1, name });
const connector = connectorDouble(
  (request) => {
    if (request.uai === '0382032C' && request.millesime === 2027 && request.step === 'sts-edt' && !stsArrived) return Promise.resolve({ kind: 'waiting-file', expected: 'sts_emp_0382032C_2027.xml' });
    if (request.uai === '9830418M' && request.step === 'sts-edt') return Promise.resolve({ kind: 'waiting-file', expected: 'sts_emp_9830418M_2027.xml' });
    return Promise.resolve(
      request.step === 'pronote-siecle-elegroupe'
        ? { kind: 'queued-for-night', input: input('x.zip', 'a'), anomalies: [] }
        : { kind: 'done', input: input(`${request.step}.xml`, 'b'), anomalies: [] },
    );
  },
  {
    processNight: (request) => (request.uai === '0660864F' && request.millesime === 2027 ? Promise.reject(new Error('SIECLE injoignable')) : Promise.resolve({ processed: true, anomalies: [] })),
    hasWaitingDeposit: () => Promise.resolve(true),
  },
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

  // The loop: waiting for a file that arrives, a new file after success, continue-as-new.
  const loop = await client.workflow.start(schoolYear, {
    taskQueue: 'record',
    workflowId: 'school-year/0382032C/2027',
    args: [{ uai: '0382032C', millesime: 2027, businessDate: '2027-09-15', timings: { ...timings, fileRetryInterval: '1 hour' }, confirmAutomatically: true, yearEnd: '2099-09-01', historyLimit: 40 }],
  });
  const stateOf = async (step: string) => (await loop.query(stepStates)).find((s) => s.step === step);
  while ((await stateOf('sts-edt'))?.status !== 'running' || (await stateOf('siecle-pronote'))?.status !== 'succeeded') await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
  stsArrived = true;
  await loop.signal(fileArrived, { application: 'sts', name: 'sts_emp_0382032C_2027.xml', sha256: 'c'.repeat(64) });
  while ((await stateOf('pronote-siecle-elegroupe'))?.status !== 'running') await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  await client.workflow.execute(nightlyEleGroupe, { taskQueue: 'record', workflowId: 'nightly-elegroupe/2027-09-15', args: [{ night: '2027-09-15', uais: ['0382032C'] }] });
  while ((await stateOf('lsu-base-sync'))?.status !== 'succeeded') await new Promise((r) => setTimeout(r, 100));
  // Past its history limit, the year continues as new once the chain is through: the new SIECLE
  // export then runs its steps in the continued run (which takes over the steps' states).
  const yearRuns = async (): Promise<number> => {
    let runs = 0;
    for await (const _ of client.workflow.list({ query: `WorkflowId = 'school-year/0382032C/2027'` })) runs += 1;
    return runs;
  };
  for (let i = 0; i < 200 && (await yearRuns()) < 2; i += 1) await new Promise((r) => setTimeout(r, 200));
  await loop.signal(fileArrived, { application: 'siecle', name: 'ExportXML_ElevesSansAdresses.zip', sha256: 'd'.repeat(64) });
  for (let i = 0; i < 200 && (await stateOf('lsu-base-sync'))?.runs !== 2; i += 1) await new Promise((r) => setTimeout(r, 200));
  await loop.terminate('enregistrement terminé');

  // A step that never gets its file: it times out.
  await client.workflow.execute(stepRun, { taskQueue: 'record', workflowId: 'step-timeout/9830418M/2027/sts-edt', args: [{ uai: '9830418M', millesime: 2027, step: 'sts-edt', businessDate: '2027-09-15', timings }] }).catch(() => undefined);

  // A night SIECLE fails for one school (recorded for the morning's re-run), and continues as new
  // after each school; then the re-run of that school's night.
  const failing = await client.workflow.start(schoolYear, {
    taskQueue: 'record',
    workflowId: 'school-year/0660864F/2027',
    args: [{ uai: '0660864F', millesime: 2027, businessDate: '2027-09-15', timings, confirmAutomatically: true, yearEnd: '2099-09-01' }],
  });
  while ((await failing.query(stepStates)).find((s) => s.step === 'pronote-siecle-elegroupe')?.status !== 'running') await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  await client.workflow.execute(nightlyEleGroupe, { taskQueue: 'record', workflowId: 'nightly-elegroupe/2027-09-16', args: [{ night: '2027-09-16', uais: ['0382032C', '0660864F'], attempts: 1, pageSize: 1 }] });
  await failing.terminate('enregistrement terminé');
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
  'school-year/0382032C/2027',
  'school-year/0382032C/2027/sts-edt',
  'step-timeout/9830418M/2027/sts-edt',
  'school-year/0660864F/2027',
  'nightly-elegroupe/2027-09-16',
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
