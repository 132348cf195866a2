// `synchro rerun --by` and `synchro audit` as an operator runs them, against the real dev server:
// the re-run is written to the audit log with who (--by) and where (the machine), and the log
// lists it — with the earlier entries untouched.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../db/open';
import { recordAudit } from '../../db/queries/audit';
import { upsertSchool } from '../../db/queries/schools';
import { finishStepRun, startStepRun } from '../../db/queries/step-runs';
import { freshEnv, removeFreshDirs, runCli } from '../support/cli';

afterAll(removeFreshDirs);

describe('synchro rerun and synchro audit', () => {
  it('write and list who re-ran a failed run from the command line', async () => {
    const env: NodeJS.ProcessEnv = { ...(await freshEnv()), TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: inject('temporalNamespace'), TEMPORAL_TASK_QUEUE: `cli-audit-${randomUUID()}` };
    const opened = await openDatabase({ dataDir: env.SYNCHRO_DATA_DIR! });
    await upsertSchool(opened.db, { uai: '0382032C', name: 'Collège Les Buclos', academie: 'Grenoble', calendarZone: 'metropole' });
    const failed = await startStepRun(opened.db, { uai: '0382032C', millesime: 2025, step: 'siecle-pronote', workflowId: `w-${randomUUID()}`, runId: 'r', inputSha256: 'c'.repeat(64) });
    await finishStepRun(opened.db, failed.id, 'failed', { info: 0, warning: 0, error: 1, blocking: 0 });
    await recordAudit(opened.db, { actor: { subject: 'agent-x', name: 'Agent X' }, action: 'sign-in', uai: '0382032C', address: '10.0.0.1' });
    await opened.close();

    const rerun = await runCli(['rerun', String(failed.id), '--by', 'ops.martin', '--json'], env);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);

    const audit = await runCli(['audit', '--uai', '0382032C', '--since', '2020-01-01', '--json'], env);
    expect(audit.code).toBe(0);
    const { entries } = JSON.parse(audit.stdout) as { entries: { action: string; actor: { subject: string; name?: string }; address: string; details: Record<string, unknown> }[] };
    expect(entries.map((e) => [e.action, e.actor.subject])).toEqual([['rerun', 'ops.martin'], ['sign-in', 'agent-x']]);
    expect(entries[0]).toMatchObject({ address: `cli@${os.hostname()}`.slice(0, 64), details: { stepRunId: failed.id, step: 'siecle-pronote', via: 'cli', workflowId: `rerun/0382032C/2025/siecle-pronote/${failed.id}/1` } });

    expect((await runCli(['audit', '--since', 'hier'], env)).code).toBe(64);
    expect((await runCli(['audit', '--since', '2999-01-01'], env)).stdout.trim()).toBe('Aucune action enregistrée.');
  }, 240_000); // four CLI processes, each starting tsx
});
