// A worker keeps a bounded number of workflows in memory (worker/worker.ts WORKFLOW_CACHE_SIZE);
// the others are evicted and replayed from their history at their next task. With a cache of two,
// three school years, their step runs and SIECLE's night are evicted and replayed all the time:
// they must end exactly as they do with room to spare.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StepOutcome, StepRequest } from '../../connectors/types';
import { nightlyEleGroupe, schoolYear } from '../../workflows';
import { connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
const fast = { fileRetryInterval: '200 milliseconds', maxFileChecks: 20, nightTimeout: '1 minute' };
const UAIS = ['0693141P', '0693142R', '0750680G'];

describe('a worker whose workflow cache is smaller than the work in flight', () => {
  it('runs three school years through the night with a cache of two, evicting and replaying', async () => {
    const millesime = 4000 + Math.floor(Math.random() * 800); // keys of their own in the shared database
    const queued = new Set<string>();
    let cached = 0;
    let stop = (): void => undefined;
    const connector = connectorDouble(
      (request: StepRequest): Promise<StepOutcome> => {
        if (request.step !== 'pronote-siecle-elegroupe') return Promise.resolve({ kind: 'done', anomalies: [] });
        queued.add(request.uai);
        return Promise.resolve({ kind: 'queued-for-night', input: { key: request.uai, sha256: request.uai.padEnd(64, 'a'), bytes: 10, name: `${request.uai}ELEGROUPE${millesime}250101000000.zip` }, anomalies: [] });
      },
      {
        hasWaitingDeposit: (uai, m) => Promise.resolve(m === millesime && queued.has(uai)),
        processNight: (request) => Promise.resolve({ processed: request.millesime === millesime && queued.has(request.uai), anomalies: [] }),
      },
    );
    const results = await harness.withWorker(connector, async (taskQueue) => {
      const years = await Promise.all(UAIS.map((uai) => harness.client.workflow.start(schoolYear, {
        taskQueue,
        workflowId: `school-year/${uai}/${millesime}/${randomUUID()}`,
        args: [{ uai, millesime, businessDate: '2025-09-15', timings: fast, confirmAutomatically: true, yearEnd: '2000-01-01' }],
      })));
      for (let i = 0; i < 200 && queued.size < UAIS.length; i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(queued.size).toBe(UAIS.length);
      const night = await harness.client.workflow.execute(nightlyEleGroupe, { taskQueue, workflowId: `nightly/${randomUUID()}`, args: [{ night: '2025-09-15', uais: UAIS }] });
      expect(night.outcomes.filter((o) => o.millesime === millesime && o.processed)).toHaveLength(UAIS.length);
      return Promise.all(years.map((y) => y.result()));
    }, {
      maxCachedWorkflows: 2,
      inspect: (worker) => {
        // Sampled while it runs: never more than two in memory, while three years (and their step
        // runs, and the night) are open at once, waiting on one another: evicted and replayed.
        const timer = setInterval(() => {
          cached = Math.max(cached, worker.getStatus().numCachedWorkflows);
        }, 20);
        stop = () => clearInterval(timer);
      },
    });
    stop();
    // Reached and never passed: the cache was full, so the three years were evicted in turn.
    expect(cached).toBe(2);
    for (const result of results) {
      expect(result.steps.map((s) => s.status)).toEqual(Array(7).fill('succeeded'));
    }
  });
});
