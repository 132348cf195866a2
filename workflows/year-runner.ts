// The school year as a loop (Temporal's entity-workflow pattern): the chain runs once front to
// back, and then every new file for a step is a new run of the steps that read it (chain.ts
// STEP_READS), each step at most one run at a time; a step waiting for its file is woken at once;
// a step blocked by a failure runs when that failure is put right; a manual step confirmed again
// runs again. Each run is its own ledger row (run key: its child workflow id, suffixed with the
// step's run counter, and the year's first run id, carried across continue-as-new). A run is first
// tried as a local activity of the year itself (an activity in years recorded before); only a run
// that must wait (its file is not there yet, or SIECLE's night) goes on as that child workflow,
// with its own history, timers and signals.
import { condition, log, patched, proxyActivities, proxyLocalActivities, setHandler, startChild, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StepRunResult } from '../activities/step-run';
import { STEP_READS, type ChainStep } from './chain';
import type { ChainInput } from './chain-runner';
import { stepWorkflowId } from './ids';
import { confirmManualStep, lookAgain, stepStates, type FileArrived, type ManualStepConfirmation, type StepState } from './messages';
import { stepRunAttributes } from './search-attributes';
import { STEP_ACTIVITY_OPTIONS, STEP_LOCAL_ACTIVITY_OPTIONS, stepRun } from './step-run';
import type { StepId, StepStatus } from './steps';

const { recordStepStatus } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });
const { executeStep } = proxyActivities<Activities>(STEP_ACTIVITY_OPTIONS);
const { executeStep: executeStepHere } = proxyLocalActivities<Activities>(STEP_LOCAL_ACTIVITY_OPTIONS);

/**
 * Years whose histories carry this marker try each run first as an activity of their own (a child
 * workflow costs the Temporal server about three times as much: `npm run bench orchestration`);
 * the years recorded before start every run as a child, as they did.
 */
export const YEAR_STEPS_INLINE_PATCH = 'year-steps-inline';

/**
 * Years whose histories carry this marker run those activities as local activities: the worker
 * runs the step inside the year's workflow task and records its result as a marker, with no
 * activity task for the server to schedule, dispatch and complete and no second workflow task to
 * take the result (measured: `npm run bench orchestration`).
 */
export const YEAR_STEPS_LOCAL_PATCH = 'year-steps-local';

/** The step whose run waits for SIECLE's night after its deposit: always its own workflow (the night signals it). */
const WAITS_FOR_NIGHT: ReadonlySet<StepId> = new Set(['pronote-siecle-elegroupe']);

const SUCCESS: ReadonlySet<StepStatus> = new Set(['succeeded', 'succeeded-with-anomalies']);

interface Confirmation {
  by?: string;
  at: string;
}

/** What a continued run of the year takes over (continue-as-new happens only when no step runs). */
export interface YearCarried {
  states: StepState[];
  /** Confirmations given and not used yet (a manual step confirmed before its turn). */
  confirmations: ({ step: StepId } & Confirmation)[];
}

export interface ReactiveChain {
  /** Steps with a run in progress (or waiting for a person). */
  busy(): number;
  states(): StepState[];
  carried(): YearCarried;
  fileArrived(file: FileArrived): void;
}

/** The child workflow id of a step's n-th run: the first keeps the id it always had. */
export const stepRunWorkflowId = (parentId: string, step: StepId, run: number): string =>
  run <= 1 ? stepWorkflowId(parentId, step) : `${stepWorkflowId(parentId, step)}#${run}`;

export function startReactiveChain(chain: ChainStep[], input: ChainInput, carried?: YearCarried): ReactiveChain {
  const { workflowId: parentId, firstExecutionRunId } = workflowInfo();
  const states = new Map(chain.map((s): [StepId, StepState] => [s.step, { step: s.step, status: 'pending', runs: 0 }]));
  for (const s of carried?.states ?? []) states.set(s.step, s);
  const confirmations = new Map<StepId, Confirmation>((carried?.confirmations ?? []).map(({ step, ...c }) => [step, c]));
  const manual = new Set(chain.filter((s) => s.manual).map((s) => s.step));
  /** Steps to (re)run as soon as the steps before them are settled. */
  const wanted = new Set<StepId>(carried ? [] : chain.map((s) => s.step));
  /** Steps being run: their child once started (null before: blocked, waiting for a person). */
  const active = new Map<StepId, ChildWorkflowHandle<typeof stepRun> | null>();
  /**
   * Manual steps whose run is asking for a person: from before their « waiting-person » row is
   * written (what `synchro done` and the demo read) until the confirmation is used: a confirmation
   * is taken all that time, even while that row is being written, never refused as « en cours ».
   */
  const askingPerson = new Set<StepId>();
  /** A file arrived while the step was running: its sha256 (run again unless that run took it). */
  const dirty = new Map<StepId, string>();
  const base = { uai: input.uai, millesime: input.millesime, period: input.period, businessDate: input.businessDate };

  const state = (step: StepId): StepState => states.get(step)!;
  const set = (step: StepId, patch: Partial<StepState>): void => {
    states.set(step, { ...state(step), ...patch, step, updatedAt: new Date().toISOString() });
  };
  /** A run is over, in the year or in its child: its status, row and the file it took. */
  const setFinished = (step: StepId, result: StepRunResult): void => {
    set(step, { status: result.status, stepRunId: result.stepRunId, ...(result.inputSha256 && { inputSha256: result.inputSha256 }) });
  };

  setHandler(stepStates, () => [...states.values()]);
  setHandler(
    confirmManualStep,
    ({ step, by }) => {
      confirmations.set(step, { ...(by !== undefined && { by }), at: new Date().toISOString() });
      const again = !active.has(step) && !wanted.has(step) && (SUCCESS.has(state(step).status) || state(step).status === 'failed');
      if (again) {
        wanted.add(step);
        pump();
      }
      return { accepted: true, message: `Étape ${step} confirmée${again ? ' de nouveau' : ''} pour ${input.uai}.` };
    },
    {
      validator: ({ step }: ManualStepConfirmation) => {
        if (!manual.has(step)) throw new Error(`L'étape ${step} n'est pas une étape à confirmer.`);
        const status = state(step).status;
        if (active.has(step) && !askingPerson.has(step)) throw new Error(`L'étape ${step} est en cours (état : ${status}) : la confirmer de nouveau une fois terminée.`);
        if (status === 'blocked' && !askingPerson.has(step)) throw new Error(`L'étape ${step} est bloquée par une étape précédente en échec (état : ${status}).`);
      },
    },
  );

  async function runOnce(step: ChainStep): Promise<void> {
    const id = step.step;
    const runs = (state(id).runs ?? 0) + 1;
    set(id, { runs });
    const workflowId = stepRunWorkflowId(parentId, id, runs);
    const runKey = `${workflowId}@${firstExecutionRunId}`;
    if (!step.after.every((d) => SUCCESS.has(state(d).status))) {
      const stepRunId = await recordStepStatus({ ...base, step: id, workflowId, runId: '', runKey, status: 'blocked' });
      set(id, { status: 'blocked', stepRunId });
      return;
    }
    let confirmation: Confirmation | undefined;
    if (step.manual) {
      if (!confirmations.has(id) && !input.confirmAutomatically) {
        askingPerson.add(id);
        const stepRunId = await recordStepStatus({ ...base, step: id, workflowId, runId: '', runKey, status: 'waiting-person' });
        set(id, { status: 'waiting-person', stepRunId });
        for (let reminder = 1; !(await condition(() => confirmations.has(id), input.reminderAfter ?? '2 days')); reminder += 1) {
          log.warn('Étape manuelle en attente de confirmation', { uai: input.uai, step: id, reminder });
        }
        askingPerson.delete(id);
      }
      confirmation = confirmations.get(id) ?? { by: 'confirmation automatique (démonstration)', at: new Date().toISOString() };
      confirmations.delete(id);
    }
    set(id, { status: 'running' });
    const request = { ...base, step: id, runKey, ...(confirmation && { confirmedAt: confirmation.at }), ...(confirmation?.by !== undefined && { confirmedBy: confirmation.by }) };
    /** The year's own look found no file, and none arrived meanwhile: the child waits before its first. */
    let lookedOnce: { expected?: string } | undefined;
    if (!WAITS_FOR_NIGHT.has(id) && patched(YEAR_STEPS_INLINE_PATCH)) {
      // Its ledger row names the year's run, whose history holds this activity; a run that must
      // wait for its file goes on as the child below, on the same row (the same run key).
      try {
        const run = patched(YEAR_STEPS_LOCAL_PATCH) ? executeStepHere : executeStep;
        const result = await run({ ...request, workflowId: parentId, runId: workflowInfo().runId });
        if (result.progress === 'done') {
          setFinished(id, result);
          return;
        }
        // Its state stays 'running' while it waits, as it was while a child waited.
        if (!dirty.has(id)) lookedOnce = { ...(result.expected !== undefined && { expected: result.expected }) };
      } catch {
        // Rejected by the rules: the run's row says why; the year goes on around it.
        set(id, { status: 'failed' });
        return;
      }
    }
    try {
      const child = await startChild(stepRun, {
        workflowId,
        typedSearchAttributes: stepRunAttributes({ ...base, step: id }),
        args: [{ ...request, timings: input.timings, ...(lookedOnce && { lookedOnce }) }],
      });
      active.set(id, child);
      // A file that arrived while the child was being started found no child to wake.
      if (lookedOnce && dirty.has(id)) child.signal(lookAgain).catch(() => undefined);
      setFinished(id, await child.result());
    } catch {
      // The step's own run row says why (anomalies, attempts); the year goes on around it.
      set(id, { status: 'failed' });
    }
  }

  function finished(step: ChainStep): void {
    const id = step.step;
    active.delete(id);
    const arrived = dirty.get(id);
    if (arrived !== undefined) {
      dirty.delete(id);
      if (arrived !== state(id).inputSha256) wanted.add(id);
    }
    const ok = SUCCESS.has(state(id).status);
    for (const next of chain) {
      if (!next.after.includes(id)) continue;
      const status = state(next.step).status;
      // Waiting for this step, or blocked by its earlier failure and now free to go.
      if (status === 'pending' || (ok && status === 'blocked')) wanted.add(next.step);
    }
    pump();
  }

  /** Starts every wanted step whose earlier steps are settled (none running, none about to). */
  function pump(): void {
    for (const step of chain) {
      if (!wanted.has(step.step) || active.has(step.step)) continue;
      if (step.after.some((d) => active.has(d) || wanted.has(d))) continue;
      wanted.delete(step.step);
      active.set(step.step, null);
      runOnce(step).then(
        () => finished(step),
        (error: unknown) => {
          log.error('Exécution d’étape interrompue', { uai: input.uai, step: step.step, error: String(error) });
          set(step.step, { status: 'failed' });
          finished(step);
        },
      );
    }
  }

  function fileArrived(file: FileArrived): void {
    for (const step of chain) {
      if (step.manual || !STEP_READS[step.step].includes(file.application)) continue;
      const current = state(step.step);
      const child = active.get(step.step);
      if (active.has(step.step)) {
        // Running: run again afterwards unless this run takes the new file; if it is waiting for
        // its file, it looks again now.
        dirty.set(step.step, file.sha256);
        if (child) child.signal(lookAgain).catch(() => undefined);
        continue;
      }
      // Not started yet, or waiting for the steps before it: it will read the newest file anyway.
      if (wanted.has(step.step) || current.status === 'pending' || current.status === 'blocked') continue;
      // The same file again (dropped twice): nothing new to run.
      if (current.inputSha256 === file.sha256 && current.status !== 'failed') continue;
      wanted.add(step.step);
    }
    pump();
  }

  pump();
  return {
    busy: () => active.size + [...wanted].filter((s) => !active.has(s)).length,
    states: () => chain.map((s) => state(s.step)),
    carried: () => ({ states: chain.map((s) => state(s.step)), confirmations: [...confirmations].map(([step, c]) => ({ step, ...c })) }),
    fileArrived,
  };
}
