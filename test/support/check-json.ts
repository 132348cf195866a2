// `synchro check --json` as a subprocess (the CLI's own code path), its output read back: the exit
// code (0 accepted, 1 anomalies, 2 rejected) and the files as the JSON prints them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN } from './cli';

const run = promisify(execFile);

/** One file of `synchro check --json`'s output, as a user's script reads it. */
export interface CheckedFile {
  file: string;
  kind: string;
  uai: string | null;
  millesime: number | null;
  verdict: string;
  anomalies: { code: string; level: string; message: string; label?: string; subject?: { line?: number; pupilId?: string } }[];
  counts: Record<string, unknown>;
}

/** Runs `synchro check --json ARGS…`; throws only when the command printed no JSON (a crash, not a verdict). */
export async function checkJson(args: string[]): Promise<{ code: number; files: CheckedFile[] }> {
  try {
    const { stdout } = await run(process.execPath, [BIN, 'check', '--json', ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, files: (JSON.parse(stdout) as { files: CheckedFile[] }).files };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number' || !e.stdout) throw new Error(`synchro check a échoué : ${e.stderr}`);
    return { code: e.code, files: (JSON.parse(e.stdout) as { files: CheckedFile[] }).files };
  }
}
