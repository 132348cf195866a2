// Option values checked before any action: a usage error in French (exit 64), never SQL, never a
// number read as another (report 0x10 read run 16); drop --json prints JSON even for a file
// Node itself would not read (over 2 GiB).
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEnv, removeFreshDirs, runCli } from '../support/cli';

let env: NodeJS.ProcessEnv;
let files: string;
beforeAll(async () => {
  env = await freshEnv();
  files = await mkdtemp(path.join(os.tmpdir(), 'synchro-options-'));
});
afterAll(async () => {
  await removeFreshDirs();
  await rm(files, { recursive: true, force: true });
});

describe('option values', () => {
  it.each([
    [['status', '--millesime', 'abc'], /option --millesime <aaaa>, valeur invalide — millésime « abc » : quatre chiffres attendus/],
    [['report', '0x10'], /argument runId, valeur invalide — numéro d'exécution « 0x10 »/],
    [['rerun', '1e3'], /numéro d'exécution « 1e3 »/],
    [['run', 'yearly', '--on', '2025-02-30'], /date « 2025-02-30 » : AAAA-MM-JJ attendue/],
    [['status', '--step', 'nope'], /étape « nope » inconnue/],
    [['run', 'term', '--period', '-1'], /période « -1 »|option inconnue -1|valeur invalide/],
  ])('%j: usage error in French, exit 64', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/error:|select |invalid input syntax|postgres/i);
  }, 60_000);

  it('drop --json of a file over 2 GiB: JSON, French, exit 2', async () => {
    const uai = '0382032C';
    await mkdir(path.join(env.SYNCHRO_DATA_DIR!, 'schools', uai), { recursive: true });
    const file = path.join(files, 'import_lsu_20250915120000.xml');
    await writeFile(file, '');
    await truncate(file, 2.5 * 1024 ** 3);
    const result = await runCli(['drop', file, '--uai', uai, '--json'], env);
    expect(result.code).toBe(2);
    const printed = JSON.parse(result.stderr) as { error: string };
    expect(printed.error).toMatch(/pèse 2560,0 Mo, au-delà de la limite de 100 Mo/);
  }, 60_000);
});
