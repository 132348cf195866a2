// drop checks exactly the bytes it stores: the source is read once into a staged copy, and that
// copy is what is checked and moved. Replacing the source during the drop (another school's
// export written over it) can change which file is dropped, never let a file that was not
// checked reach the inbox.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropFile } from '../../../client/actions/drop-file';
import { acceptFile, stageFile } from '../../../client/actions/accept-file';
import { SchoolFolders } from '../../../connectors/school-folders';
import { closeParsePool } from '../../../formats/parse-pool';
import { generateSchool } from '../../../generators/school';
import { writeStsEmp } from '../../../generators/write-sts';
import { Readable } from 'node:stream';

let dataDir: string;
const ours = generateSchool({ seed: 4, kind: 'college', millesime: 2025, pupils: 40, uai: '0382032C' }).model;
const theirs = generateSchool({ seed: 5, kind: 'college', millesime: 2025, pupils: 40, uai: '0750680G' }).model;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-accept-'));
  await mkdir(new SchoolFolders(dataDir, ours.uai).root, { recursive: true });
});
afterAll(async () => {
  await closeParsePool();
  await rm(dataDir, { recursive: true, force: true });
});

describe('drop and acceptFile', () => {
  it('a source replaced during the drop: what lands in the inbox is always the checked, own file', async () => {
    const mine = writeStsEmp(ours).data;
    // Same official name, another school's content: the swap a careless script (or an attacker) makes.
    const other = writeStsEmp(theirs).data;
    const name = `sts_emp_${ours.uai}_2025.xml`;
    const source = path.join(dataDir, name);
    const inbox = new SchoolFolders(dataDir, ours.uai).dir('sts', 'inbox');
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      await writeFile(source, mine);
      await rm(inbox, { recursive: true, force: true });
      const swap = (async () => {
        for (let i = 0; i < 20; i += 1) {
          await writeFile(`${source}.tmp`, i % 2 === 0 ? other : mine);
          await rename(`${source}.tmp`, source);
          await new Promise((r) => setImmediate(r));
        }
      })();
      const dropped = await dropFile(dataDir, ours.uai, source).then((d) => d, (e: Error) => e);
      await swap;
      if (dropped instanceof Error) {
        expect(dropped.message).toContain("fichier de l'établissement 0750680G, pas de 0382032C");
        expect(await readdir(inbox).catch(() => [])).toEqual([]);
        outcomes.push('refused');
      } else {
        const stored = await readFile(dropped.path);
        expect(sha(stored)).toBe(dropped.sha256);
        expect(stored.equals(mine)).toBe(true);
        outcomes.push('dropped');
      }
    }
    expect(outcomes.length).toBe(8);
    // Nothing staged is left behind, whatever the outcome.
    expect(await readdir(path.join(new SchoolFolders(dataDir, ours.uai).root, '.incoming'))).toEqual([]);
  }, 120_000);

  it('an upload staged from a stream is checked and moved as staged; a refused one is removed', async () => {
    const folders = new SchoolFolders(dataDir, ours.uai);
    const good = await stageFile(folders, `sts_emp_${ours.uai}_2025.xml`, Readable.from([writeStsEmp(ours).data]));
    const accepted = await acceptFile(dataDir, ours.uai, good);
    expect(accepted).toMatchObject({ application: 'sts', kind: 'sts-edt', sha256: good.sha256 });
    const bad = await stageFile(folders, `sts_emp_${ours.uai}_2025.xml`, Readable.from([writeStsEmp(theirs).data]));
    await expect(acceptFile(dataDir, ours.uai, bad)).rejects.toThrow(/pas de 0382032C/);
    expect(await readdir(path.join(folders.root, '.incoming'))).toEqual([]);
  });

  it('a stream past the cap its name allows is stopped while staging, nothing kept', async () => {
    const folders = new SchoolFolders(dataDir, ours.uai);
    const big = Readable.from((function* () {
      for (let i = 0; i < 20; i += 1) yield Buffer.alloc(1024 * 1024, 0x20);
    })());
    await expect(stageFile(folders, `${ours.uai}ELEGROUPE2025250901080000.zip`, big)).rejects.toThrow(/dépasse la limite de 16 Mo/);
    expect(await readdir(path.join(folders.root, '.incoming'))).toEqual([]);
  });
});
