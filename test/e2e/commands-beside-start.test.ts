// On the embedded default, every command works from another shell while `synchro start` runs:
// the start process owns the PGlite folder and serves it (db/pglite-server.ts), the others reach
// it through a local socket. A registered school's whole year is driven from outside: schools add,
// drop, run yearly, done (4a, 4b), run nightly, status --json, report.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, writeSchoolFolder } from '../../generators';
import { BIN, freshEnv, removeFreshDirs, runCli } from '../support/cli';

const UAI = '0382032C';
const MILLESIME = '2025';
const ON = '2026-03-02';

let env: NodeJS.ProcessEnv;
let files: string;
let start: ChildProcess;
let startOut = '';
const written: { role: string; file: string }[] = [];

interface StatusJson {
  schools: { uai: string; steps: { step: string; status: string; stepRunId: number | null; anomalies: Record<string, number> }[] }[];
}

async function status(): Promise<StatusJson['schools'][number]['steps']> {
  const run = await runCli(['status', '--uai', UAI, '--millesime', MILLESIME, '--json'], env);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as StatusJson).schools.find((s) => s.uai === UAI)?.steps ?? [];
}

async function until(what: string, seen: (steps: Awaited<ReturnType<typeof status>>) => boolean): Promise<Awaited<ReturnType<typeof status>>> {
  const deadline = Date.now() + 120_000;
  let steps = await status();
  while (!seen(steps)) {
    if (Date.now() > deadline) throw new Error(`${what}: never seen in ${JSON.stringify(steps)}\n${startOut}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    steps = await status();
  }
  return steps;
}
const statusOf = (steps: Awaited<ReturnType<typeof status>>, step: string): string | undefined => steps.find((s) => s.step === step)?.status;

beforeAll(async () => {
  env = { ...(await freshEnv()), SYNCHRO_WEB_TOKEN: 'beside-start' };
  files = await mkdtemp(path.join(os.tmpdir(), 'synchro-beside-'));
  const { model } = generateSchool({ seed: 21, kind: 'college', millesime: Number(MILLESIME), uai: UAI, faults: [{ kind: 'unknown-group' }] });
  for (const file of await writeSchoolFolder(model, files)) written.push({ role: file.role, file: path.join(files, file.path) });

  start = spawn(process.execPath, [BIN, 'start'], { env });
  await new Promise<void>((resolve, reject) => {
    start.stdout!.on('data', (c: Buffer) => {
      startOut += c.toString();
      if (startOut.includes('Ctrl-C pour arrêter.')) resolve();
    });
    start.stderr!.on('data', (c: Buffer) => (startOut += c.toString()));
    start.on('exit', (code) => reject(new Error(`start exited early (${code}): ${startOut}`)));
  });
}, 180_000);

afterAll(async () => {
  if (start.exitCode === null) {
    const exited = new Promise((resolve) => start.once('exit', resolve));
    start.kill('SIGINT');
    await exited;
  }
  await removeFreshDirs();
  await rm(files, { recursive: true, force: true });
});

describe('every command beside a running synchro start (embedded PGlite)', () => {
  it('runs a registered school through its year and its night from another process', async () => {
    const added = await runCli(['schools', 'add', UAI, '--name', 'Collège Les Buclos', '--academie', 'Grenoble'], env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).not.toContain('ouverte par un autre processus');

    for (const { role, file } of written.filter((w) => w.role !== 'lsu')) {
      const dropped = await runCli(['drop', file, '--uai', UAI, '--json'], env);
      expect(dropped.code, `${role}: ${dropped.stderr}`).toBe(0);
    }

    const yearly = await runCli(['run', 'yearly', '--uai', UAI, '--millesime', MILLESIME, '--on', ON, '--json'], env);
    expect(yearly.code, yearly.stderr).toBe(0);
    expect(JSON.parse(yearly.stdout)).toEqual({ workflowId: `school-year/${UAI}/${MILLESIME}`, started: true });

    // The buttons in STS-Web, pressed by a person, confirmed from this shell.
    for (const step of ['sts-siecle-structure', 'sts-siecle-services']) {
      await until(`${step} waiting for a person`, (steps) => statusOf(steps, step) === 'waiting-person');
      const done = await runCli(['done', UAI, step, '--millesime', MILLESIME, '--by', 'dane.admin'], env);
      expect(done.code, done.stderr).toBe(0);
    }
    await until('the élève-groupe file deposited for the night', (steps) => statusOf(steps, 'pronote-siecle-elegroupe') === 'running');

    const nightly = await runCli(['run', 'nightly', '--on', ON, '--uai', UAI, '--json'], env);
    expect(nightly.code, nightly.stderr).toBe(0);
    expect(JSON.parse(nightly.stdout)).toMatchObject({ started: true });
    const steps = await until('the night processed', (s) => !['running', undefined].includes(statusOf(s, 'pronote-siecle-elegroupe')));
    const elegroupe = steps.find((s) => s.step === 'pronote-siecle-elegroupe')!;
    // The group removed on purpose from SIECLE's structures is reported by the night.
    expect(elegroupe.status).toBe('succeeded-with-anomalies');
    expect(elegroupe.stepRunId).toEqual(expect.any(Number));

    const report = await runCli(['report', String(elegroupe.stepRunId), '--json'], env);
    expect(report.code, report.stderr).toBe(1); // anomalies
    const parsed = JSON.parse(report.stdout) as { run: { uai: string; step: string } };
    expect(parsed.run).toMatchObject({ uai: UAI, step: 'pronote-siecle-elegroupe' });
    expect(report.stdout).toContain('"GROUPE_A_01"');
    const text = await runCli(['report', String(elegroupe.stepRunId)], env);
    expect(text.stdout).toContain('GROUPE_A_01');

    // Meanwhile the start process still serves its dashboard from the same database.
    const grid = await (await fetch(`http://127.0.0.1:${env.SYNCHRO_WEB_PORT}/`, { headers: { authorization: 'Bearer beside-start' } })).text();
    expect(grid).toContain(UAI);
    expect(start.exitCode).toBeNull();
  }, 300_000);
});
