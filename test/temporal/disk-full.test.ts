// The content store's disk full, for real: the data dir on a small tmpfs mounted by the test,
// filled but for a few kilobytes, then a school's STS-Web → EDT step on the real activities. Each
// attempt fails with the French "Disque plein" message, no partial file is left in the store, and
// once space is freed Temporal's next attempt stores the file and the step succeeds.
// Mounting needs root: skipped with that reason otherwise, a failure under CI=true.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, rmdir, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { provisionSandboxSchool } from '../../connectors';
import { sha256OfFile } from '../../connectors/content-store';
import { listStepRuns } from '../../db/queries/step-runs';
import { uaiCheckLetter } from '../../formats/uai';
import { stepRun } from '../../workflows';
import { useTemporalHarness } from '../support/temporal';

const isRoot = process.getuid?.() === 0;
const inCi = Boolean(process.env.CI);
const NOT_ROOT = 'mounting a small tmpfs for the full disk needs root';
if (!isRoot && !inCi) console.warn(`disk-full.test.ts skipped: ${NOT_ROOT}`);
const suite = isRoot || inCi ? describe : describe.skip;

const harness = useTemporalHarness();
const digits = '0751301';
const UAI = `${digits}${uaiCheckLetter(digits)}`;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

suite("the content store's disk full", () => {
  it('fails the step with a clear French message, leaves no partial file, and succeeds once space is freed', async () => {
    if (!isRoot) throw new Error(`${NOT_ROOT}. CI is set, so this test must run, not be skipped.`);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-disk-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dataDir]);
    const millesime = 2025;
    let handle: Awaited<ReturnType<typeof harness.client.workflow.start<typeof stepRun>>> | undefined;
    try {
      await provisionSandboxSchool({ dataDir, db: harness.db, uai: UAI, kind: 'college', millesime, seed: 500, faults: [] });
      // Everything but 8 KiB taken: the school's files are there, the store's copy will not fit.
      const space = await statfs(dataDir);
      const filler = path.join(dataDir, 'filler');
      await writeFile(filler, Buffer.alloc(Math.max(0, space.bavail * space.bsize - 8 * 1024)));

      await harness.withRealWorker(dataDir, async (taskQueue) => {
        handle = await harness.client.workflow.start(stepRun, {
          taskQueue,
          workflowId: `disk-full/${UAI}/${randomUUID()}`,
          args: [{ uai: UAI, millesime, step: 'sts-edt', businessDate: '2026-03-02' }],
        });
        let message: string | undefined;
        for (let i = 0; i < 300 && !message; i += 1) {
          const pending = (await handle.describe()).raw.pendingActivities ?? [];
          message = pending.find((a) => a.lastFailure?.message)?.lastFailure?.message ?? undefined;
          if (!message) await new Promise((r) => setTimeout(r, 100));
        }
        expect(message).toMatch(/^Disque plein : le fichier « sts_emp_.+\.xml » \(\d+ octets\) n'a pas pu être enregistré dans le magasin de fichiers/);
        expect(message).toContain("Rien n'a été gardé de cette copie");
        expect(await filesUnder(path.join(dataDir, 'store')), 'no partial file in the store').toEqual([]);

        await rm(filler);
        const result = await handle.result();
        expect(result.status).toBe('succeeded');
        const stored = await filesUnder(path.join(dataDir, 'store'));
        expect(stored).toHaveLength(1);
        expect(path.basename(stored[0]!)).toBe(await sha256OfFile(stored[0]!));
        const [run] = await listStepRuns(harness.db, { uai: UAI, millesime });
        expect(run).toMatchObject({ step: 'sts-edt', status: 'succeeded' });
        expect(run!.attempts).toBeGreaterThan(1);
      });
    } finally {
      await handle?.terminate('fin du test').catch(() => undefined);
      execFileSync('umount', [dataDir]);
      await rmdir(dataDir);
    }
  }, 120_000);
});
