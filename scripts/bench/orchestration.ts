// `npm run bench orchestration`: what Temporal itself costs per step of a school's year, measured
// on steps that do nothing. The same number of years and steps, run three times on a fresh
// embedded server each time: every step a child workflow shaped like a step run
// (workflows/step-run.ts: started with its search attributes, one activity, its status upserted),
// then every step an activity of the year, then every step a local activity of the year. Prints
// the wall time and the CPU of the server and of this process (the worker and the client) per
// step, so that the price of each shape per step is a figure, not a guess. BENCH_ORCH_SCHOOLS
// (300) years of BENCH_ORCH_STEPS (7) steps, all started at once.
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { startEmbeddedServer } from '../../client/temporal/embedded-server';
import { createLogger, installTemporalRuntime } from '../../worker/logger';
import type { BenchModule } from '../bench.js';
import * as activities from './orchestration/activities';
import { findServerPid, sampleProcesses } from './chain/processes';
import { yearOfActivitySteps, yearOfChildSteps, yearOfLocalActivitySteps } from './orchestration/workflows';

const SCHOOLS = Number(process.env.BENCH_ORCH_SCHOOLS ?? 300);
const STEPS = Number(process.env.BENCH_ORCH_STEPS ?? 7);
const TASK_QUEUE = 'bench-orchestration';

interface Shape {
  label: string;
  workflow: typeof yearOfChildSteps | typeof yearOfActivitySteps | typeof yearOfLocalActivitySteps;
}

const SHAPES: Shape[] = [
  { label: 'une étape = un workflow enfant', workflow: yearOfChildSteps },
  { label: 'une étape = une activité de l’année', workflow: yearOfActivitySteps },
  { label: 'une étape = une activité locale de l’année (comme aujourd’hui)', workflow: yearOfLocalActivitySteps },
];

async function runShape(shape: Shape, workflowBundle: { code: string }): Promise<void> {
  const server = await startEmbeddedServer();
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  try {
    const worker = await Worker.create({ connection: native, namespace: server.namespace, taskQueue: TASK_QUEUE, workflowBundle, activities, maxConcurrentActivityTaskExecutions: 20, maxConcurrentLocalActivityExecutions: 20 });
    const client = new Client({ connection, namespace: server.namespace });
    await worker.runUntil(async () => {
      const serverPid = findServerPid();
      const sampler = sampleProcesses([
        { label: 'worker + client (ce processus)', pid: process.pid },
        ...(serverPid ? [{ label: 'serveur Temporal', pid: serverPid }] : []),
      ]);
      const handles = await Promise.all(Array.from({ length: SCHOOLS }, (_, k) =>
        client.workflow.start(shape.workflow, { taskQueue: TASK_QUEUE, workflowId: `year-${k}`, args: [`school-${k}`, STEPS] })));
      const sums = await Promise.all(handles.map((h) => h.result()));
      const figures = await sampler.stop();
      const expected = (STEPS * (STEPS + 1)) / 2;
      const wrong = sums.filter((s) => s !== expected).length;
      const steps = SCHOOLS * STEPS;
      console.log(`  ${shape.label} : ${(figures.wallMs / 1000).toFixed(1)} s, ${((figures.wallMs / steps)).toFixed(1)} ms de mur par étape${wrong ? ` — ${wrong} années au mauvais résultat` : ''}`);
      for (const p of figures.processes) {
        console.log(`    ${p.label} : CPU ${p.cpuSeconds.toFixed(1)} s, ${((p.cpuSeconds * 1000) / steps).toFixed(1)} ms par étape, ${((p.cpuSeconds * 1000) / SCHOOLS).toFixed(0)} ms par année ; RSS max ${p.peakRssMb} Mo`);
      }
      if (figures.machineCores !== undefined) console.log(`    machine : ${figures.machineCores.toFixed(2)} cœurs occupés`);
    });
  } finally {
    await connection.close();
    await native.close();
    await server.stop();
  }
}

const bench: BenchModule = {
  name: 'orchestration',
  async run() {
    console.log(`${SCHOOLS} années de ${STEPS} étapes qui ne font rien, lancées ensemble ; un serveur Temporal embarqué neuf par forme, worker dans ce processus`);
    // Temporal's own logs and webpack's report at warning level: the figures stay readable.
    installTemporalRuntime(createLogger('warn'));
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./orchestration/workflows.ts', import.meta.url)), logger: new DefaultLogger('WARN') });
    for (const shape of SHAPES) await runShape(shape, workflowBundle);
  },
};

export default bench;
