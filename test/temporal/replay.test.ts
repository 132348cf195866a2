// Histories recorded from the chain's workflows (scripts/record-histories.ts) are replayed against
// the current workflow code: a change that would break workflows already running (a command
// added, removed or reordered without versioning) fails here, before it reaches a worker.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../../worker/bundle';

const DIR = path.resolve('test/temporal/histories');

async function recorded(): Promise<{ name: string; history: proto.temporal.api.history.v1.History }[]> {
  const names = (await readdir(DIR)).filter((f) => f.endsWith('.history.bin')).sort();
  return Promise.all(names.map(async (name) => ({ name, history: proto.temporal.api.history.v1.History.decode(await readFile(path.join(DIR, name))) })));
}

describe('replay of recorded histories', () => {
  it('replays every recorded workflow type without a non-determinism error', async () => {
    const histories = await recorded();
    const types = new Set(histories.map((h) => h.name.split('--')[0]));
    expect([...types].sort()).toEqual(['academy', 'nightlyEleGroupe', 'schoolYear', 'stepRun']);
    const bundle = await workflowBundle();
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: bundle },
      // The real workflow id (children's ids derive from it), kept in the file name with / as _.
      histories.map(({ name, history }) => ({ workflowId: name.split('--')[1]!.replaceAll('_', '/'), history })),
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
      replayed += 1;
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  });

  it('does catch a change that would break running workflows', async () => {
    // The same history replayed as another workflow type must fail: the replay really checks.
    const [year] = (await recorded()).filter((h) => h.name.startsWith('schoolYear--'));
    const started = year!.history.events[0]!.workflowExecutionStartedEventAttributes!;
    started.workflowType = { name: 'nightlyEleGroupe' };
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, year!.history)).rejects.toThrow();
  });
});
