// The steps sts-edt and edt-sts check their file against its DTD (checks/sts-dtd.ts) before
// handing it on: a file the DTD refuses stops the step (Bloquant, nothing deposited); the blocks
// later sts_emp files add are only Informatif. Files are the hand-written ones of test/fixtures/sts-web.
import { runStepOn } from '../../../activities/step-ports';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepRejected } from '../../../activities/step-run';
import { parseExchangeFile } from '../../../formats/parse-pool';
import { parsedFiles } from '../../../steps/parsed-files';
import { SchoolFolders } from '../../../connectors/school-folders';
import type { Connector } from '../../../connectors/types';
import { openSandboxSchool } from '../../support/sandbox-school';
import { request, type Harness } from '../../support/step-harness';

const FIXTURES = join(import.meta.dirname, '../../fixtures/sts-web');
const school = { uai: '0750680G', millesime: 2019, businessDate: '2019-10-01' };

describe('steps sts-edt and edt-sts validate against the DTDs', () => {
  let h: Harness;
  let connector: Connector;
  let folders: SchoolFolders;
  beforeAll(async () => {
    ({ h, connector } = await openSandboxSchool(school, { seed: 4 }));
    folders = new SchoolFolders(h.dataDir, school.uai);
  });
  afterAll(() => h.close());

  /** Replaces the application's export in its inbox by `bytes` under the official name. */
  async function export_(app: 'sts' | 'edt', name: string, bytes: Buffer): Promise<void> {
    for (const f of await folders.list(app, 'inbox', /\.xml$/i)) await rm(f.path);
    await writeFile(folders.path(app, 'inbox', name), bytes);
  }

  it('sts-edt hands a 2018-style sts_emp to EDT, its HORAIRES/ALTERNANCES/SALLES_COURS noted as Informatif', async () => {
    const bytes = await readFile(join(FIXTURES, 'metropole/sts_emp_0750680G_2019.xml'));
    await export_('sts', 'sts_emp_0750680G_2019.xml', bytes);
    const misses = parsedFiles.misses;
    const outcome = await runStepOn(h, connector, request(school, 'sts-edt'), h.env);
    expect(outcome).toMatchObject({ kind: 'done', deposited: true });
    expect(outcome.kind === 'done' && outcome.anomalies.map((a) => `${a.code}:${a.level}`)).toEqual(['DTD_ELEMENT_RECENT:info', 'DTD_ELEMENT_RECENT:info', 'DTD_ELEMENT_RECENT:info']);
    // Parsed once (in a parse thread), for its DTD and its content — not again through the cache's read — and kept for the steps after.
    expect(parsedFiles.misses).toBe(misses);
    const hits = parsedFiles.hits;
    expect((await parsedFiles.read('sts_emp_0750680G_2019.xml', bytes)).kind).toBe('sts-edt');
    expect([parsedFiles.hits, parsedFiles.misses]).toEqual([hits + 1, misses]);
    expect((await folders.list('edt', 'outbox', /sts_emp/)).map((f) => f.name)).toEqual(['sts_emp_0750680G_2019.xml']);
  });

  it('sts-edt refuses an sts_emp it cannot read: FICHIER_ILLISIBLE in the words of the file reader (formats/detect.ts), nothing deposited', async () => {
    const name = 'sts_emp_0750680G_2019.xml';
    const good = await readFile(join(FIXTURES, 'metropole', name));
    const deposited = await folders.list('edt', 'outbox', /sts_emp/);
    const unreadable = {
      'only spaces': Buffer.from('  \n\n  '),
      'no tag': Buffer.from('STS_EDT, pas du XML'),
      'cut in the middle': good.subarray(0, Math.floor(good.length / 2)),
    };
    for (const [what, bytes] of Object.entries(unreadable)) {
      await export_('sts', name, bytes);
      const said = await parseExchangeFile(name, bytes).then(() => undefined, (e: unknown) => (e as Error).message);
      expect(said, what).toBeDefined();
      const error = await runStepOn(h, connector, request(school, 'sts-edt'), h.env).then(() => undefined, (e: unknown) => e);
      expect(error, what).toBeInstanceOf(StepRejected);
      expect((error as StepRejected).message, what).toBe(`Fichier illisible : ${name}`);
      expect((error as StepRejected).anomalies, what).toEqual([{ code: 'FICHIER_ILLISIBLE', level: 'blocking', message: said, subject: { file: name } }]);
    }
    expect(await folders.list('edt', 'outbox', /sts_emp/)).toEqual(deposited);
    await export_('sts', name, good); // edt-sts below compares its groups with this sts_emp
  });

  it('edt-sts refuses an emp_sts the DTD refuses: Bloquant naming line and element, nothing deposited', async () => {
    const text = (await readFile(join(FIXTURES, 'metropole/emp_sts_0750680G_2019.xml'), 'latin1')).replace('<DUREE>0100</DUREE><CODE_SALLE>A03</CODE_SALLE>', '<CODE_SALLE>A03</CODE_SALLE>');
    await export_('edt', 'emp_sts_0750680G_2019.xml', Buffer.from(text, 'latin1'));
    const error = await runStepOn(h, connector, request(school, 'edt-sts'), h.env).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StepRejected);
    const anomalies = (error as StepRejected).anomalies;
    expect(anomalies.map((a) => [a.code, a.level, a.subject?.line])).toEqual([['DTD_NON_CONFORME', 'blocking', 50]]);
    expect(anomalies[0]!.message).toMatch(/^Ligne 50, <CODE_SALLE> : élément <CODE_SALLE> inattendu dans <COURS> \(attendu : <DUREE>/);
    expect(await folders.list('sts', 'outbox', /emp_sts/)).toEqual([]);
  });

  it('edt-sts hands the hand-written emp_sts to STS-Web', async () => {
    const name = 'emp_sts_0750680G_2019.xml';
    await rm(folders.path('edt', 'inbox', name));
    await copyFile(join(FIXTURES, 'metropole', name), folders.path('edt', 'inbox', name));
    const outcome = await runStepOn(h, connector, request(school, 'edt-sts'), h.env);
    expect(outcome).toMatchObject({ kind: 'done', deposited: true });
    // Its groups are not the generated school's: the correspondences with the sts_emp are warnings, not DTD anomalies.
    expect(outcome.kind === 'done' && outcome.anomalies.filter((a) => a.code.startsWith('DTD_'))).toEqual([]);
    expect((await folders.list('sts', 'outbox', /emp_sts/)).map((f) => f.name)).toEqual([name]);
  });
});
