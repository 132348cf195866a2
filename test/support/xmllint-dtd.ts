// libxml2's own DTD validation (`xmllint --noout --dtdvalid`), the reference formats/dtd.ts is
// cross-checked against. Debian's libxml2-utils (installed by .ci/run); a missing binary fails the
// test with a message rather than skipping it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface XmllintDtdResult {
  valid: boolean;
  errors: { line: number; element: string; message: string }[];
}

export async function xmllintDtd(dtdPath: string, xml: Uint8Array | string): Promise<XmllintDtdResult> {
  const dir = await mkdtemp(join(tmpdir(), 'synchro-xmllint-'));
  const file = join(dir, 'document.xml');
  try {
    await writeFile(file, xml);
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
      execFile('xmllint', ['--noout', '--nonet', '--dtdvalid', dtdPath, file], { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error('xmllint introuvable : installez libxml2-utils (apt-get install libxml2-utils).'));
        } else resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr });
      });
    });
    const errors = [...stderr.matchAll(/^[^\n]*?:(\d+): element ([\w.-]+): validity error : ([^\n]*)$/gm)].map((m) => ({ line: Number(m[1]), element: m[2]!, message: m[3]! }));
    if (code !== 0 && errors.length === 0) throw new Error(`xmllint a échoué (code ${code}) : ${stderr}`);
    return { valid: code === 0, errors };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Valid/invalid of many documents against one DTD, in ONE xmllint run (it validates each file named). */
export async function xmllintDtdMany(dtdPath: string, documents: readonly (Uint8Array | string)[]): Promise<boolean[]> {
  const dir = await mkdtemp(join(tmpdir(), 'synchro-xmllint-'));
  try {
    const files = documents.map((_, i) => join(dir, `doc${i}.xml`));
    await Promise.all(documents.map((d, i) => writeFile(files[i]!, d)));
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile('xmllint', ['--noout', '--nonet', '--dtdvalid', dtdPath, ...files], { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, err) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') reject(new Error('xmllint introuvable : installez libxml2-utils (apt-get install libxml2-utils).'));
        else resolve(err);
      });
    });
    const invalid = new Set([...stderr.matchAll(/^Document (\S+) does not validate against/gm)].map((m) => m[1]!));
    return files.map((f) => !invalid.has(f));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
