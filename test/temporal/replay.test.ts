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

  it('covers the branches running workflows take', async () => {
    const histories = await recorded();
    const events = (prefix: string) => histories.filter((h) => h.name.startsWith(prefix)).flatMap((h) => h.history.events);
    const signals = (prefix: string) => events(prefix).map((e) => e.workflowExecutionSignaledEventAttributes?.signalName).filter(Boolean);
    // Years and académies started before the loop and after it (with the patch marker).
    const markers = events('schoolYear--').filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
    expect(markers.length).toBeGreaterThan(0);
    expect(events('schoolYear--school-year_0750680G_2025--run1.').some((e) => e.markerRecordedEventAttributes)).toBe(false);
    // Years that start every run as a child (recorded before 'year-steps-inline') and years that
    // try each run first as an activity of their own: the sts_emp step of 0382032C waited for its
    // file, so it went on as a child.
    const patchesOf = (name: string) => histories.filter((h) => h.name.startsWith(name)).flatMap((h) => h.history.events).map((e) => e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data).filter(Boolean).map((d) => (JSON.parse(Buffer.from(d!).toString()) as { id: string }).id);
    expect(patchesOf('schoolYear--school-year_0382032C_2027--run2.')).not.toContain('year-steps-inline');
    expect(patchesOf('schoolYear--school-year_0382032C_2027--run2-inline')).toContain('year-steps-inline');
    const inline = events('schoolYear--school-year_0382032C_2027--run2-inline');
    expect(inline.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'executeStep').length).toBeGreaterThan(0);
    expect(inline.map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId).filter(Boolean)).toEqual(['school-year/0382032C/2027/sts-edt', 'school-year/0382032C/2027/pronote-siecle-elegroupe']);
    // Years recorded after 'year-steps-local' run those steps as local activities (markers, no
    // activity task), before and after continuing as new; the waiting step still goes on as a child.
    expect(patchesOf('schoolYear--school-year_0382032C_2027--run2-inline')).not.toContain('year-steps-local');
    for (const run of ['run1-local', 'run2-local']) {
      const local = events(`schoolYear--school-year_0382032C_2027--${run}`);
      expect(patchesOf(`schoolYear--school-year_0382032C_2027--${run}`)).toContain('year-steps-local');
      expect(local.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBeGreaterThan(0);
      expect(local.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'executeStep')).toBe(false);
    }
    expect(events('schoolYear--school-year_0382032C_2027--run2-local').map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId).filter(Boolean)).toEqual(['school-year/0382032C/2027/sts-edt', 'school-year/0382032C/2027/pronote-siecle-elegroupe']);
    expect(signals('schoolYear--school-year_0382032C_2027--run1-local')).toEqual(['fileArrived']);
    const waited = histories.find((h) => h.name.startsWith('stepRun--school-year_0382032C_2027_sts-edt--run1-inline'))!.history.events;
    expect(JSON.parse(Buffer.from(waited[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!).toString())).toHaveProperty('lookedOnce');
    expect(signals('stepRun--school-year_0382032C_2027_sts-edt--run1-inline')).toContain('lookAgain');
    // A file arriving later (and after success), a step woken by it, a year continuing as new.
    expect(signals('schoolYear--school-year_0382032C_2027')).toEqual(expect.arrayContaining(['fileArrived', 'fileArrived']));
    expect(signals('stepRun--school-year_0382032C_2027_sts-edt')).toContain('lookAgain');
    expect(events('schoolYear--school-year_0382032C_2027').some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
    // Waiting for a file until the step times out; a night that fails for a school.
    expect(events('stepRun--step-timeout').some((e) => e.workflowExecutionFailedEventAttributes?.failure?.applicationFailureInfo?.type === 'StepTimedOut')).toBe(true);
    expect(events('nightlyEleGroupe--nightly-elegroupe_2027-09-16').some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordNightFailure')).toBe(true);
    // An académie continuing as new, before and after it waited on its children.
    expect(histories.filter((h) => h.name.startsWith('academy--')).map((h) => h.name.split('--')[2])).toEqual(expect.arrayContaining(['run2.history.bin', 'run2-patched.history.bin']));
  });

  it('does catch a change that would break running workflows', async () => {
    // The same history replayed as another workflow type must fail: the replay really checks.
    const [year] = (await recorded()).filter((h) => h.name.startsWith('schoolYear--school-year_0750680G'));
    const started = year!.history.events[0]!.workflowExecutionStartedEventAttributes!;
    started.workflowType = { name: 'nightlyEleGroupe' };
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, year!.history)).rejects.toThrow();
  });
});
