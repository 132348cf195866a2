// `synchro check --json` (the CLI's own code path, as a subprocess) on the STS-Web files written by
// hand from the DTDs (test/fixtures/sts-web): read with their UAI and year, accepted; invalid
// variants rejected naming the line and the element; the Nouvelle-Calédonie millésime rule.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, writeSchoolFolder } from '../../../generators/index.js';
import { checkJson, type CheckedFile } from '../../support/check-json';

const FIXTURES = join(import.meta.dirname, '../../fixtures/sts-web');

/** On a day of the 2019 school year, so that the fixtures' years are the current ones. */
const check = (args: string[]): ReturnType<typeof checkJson> => checkJson(['--on', '2019-09-10', ...args]);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'synchro-check-sts-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const levels = (f: CheckedFile | undefined): string[] => (f?.anomalies ?? []).map((a) => `${a.code}:${a.level}`);

describe('synchro check on STS-Web files written by hand from DTD_EDT_STS.dtd / DTD_STS_EDT.dtd', () => {
  it('accepts the emp_sts (with and without ANNEE_SCOLAIRE, metropolitan and Nouvelle-Calédonie) and the 2018-style sts_emp', async () => {
    const { code, files } = await check([
      join(FIXTURES, 'metropole/emp_sts_0750680G_2019.xml'),
      join(FIXTURES, 'metropole-sans-annee/emp_sts_0750680G_2019.xml'),
      join(FIXTURES, 'metropole/sts_emp_0750680G_2019.xml'),
      join(FIXTURES, 'nouvelle-caledonie/emp_sts_9830418M_2019.xml'),
    ]);
    expect(files.map((f) => [f.kind, f.uai, f.millesime, f.verdict])).toEqual([
      ['edt-sts', '0750680G', 2019, 'accepted'],
      ['edt-sts', '0750680G', 2019, 'accepted'],
      ['sts-edt', '0750680G', 2019, 'accepted'],
      ['edt-sts', '9830418M', 2019, 'accepted-with-anomalies'],
    ]);
    expect(levels(files[0])).toEqual([]);
    expect(levels(files[1])).toEqual([]);
    expect(levels(files[2])).toEqual(['DTD_ELEMENT_RECENT:info', 'DTD_ELEMENT_RECENT:info', 'DTD_ELEMENT_RECENT:info']);
    // Files of two schools on one command line: the UAI cross-check flags the odd one out (an error, not a rejection).
    expect(levels(files[3])).toEqual(['UAI_DIFFERENT:error']);
    expect(code).toBe(1);
  });

  it('Nouvelle-Calédonie: emp_sts 2019 agrees with SIECLE 2018 exports (STS-Web\'s millésime = SIECLE\'s + 1); 2018 does not', async () => {
    const { model } = generateSchool({ seed: 5, kind: 'college', millesime: 2018, uai: '9830418M', pupils: 40 });
    const generated = join(root, 'nc-generated');
    const reference = join(root, 'nc-reference');
    await mkdir(reference, { recursive: true });
    for (const f of await writeSchoolFolder(model, generated)) {
      if (f.role === 'siecle-export') await copyFile(join(generated, f.path), join(reference, f.path.replace(/^.*\//, '')));
    }
    const nc = join(FIXTURES, 'nouvelle-caledonie/emp_sts_9830418M_2019.xml');
    const good = await check([nc, '--reference', reference]);
    expect(good.files[0]).toMatchObject({ kind: 'edt-sts', uai: '9830418M', millesime: 2019, verdict: 'accepted' });
    expect(good.code).toBe(0);

    const siecleYear = join(root, 'emp_sts_9830418M_2018.xml');
    await writeFile(siecleYear, (await readFile(nc, 'latin1')).replace('<ANNEE_SCOLAIRE>2019</ANNEE_SCOLAIRE>', '<ANNEE_SCOLAIRE>2018</ANNEE_SCOLAIRE>'), 'latin1');
    const wrong = await check([siecleYear, '--reference', reference]);
    expect(levels(wrong.files[0])).toEqual(['MILLESIME_DIFFERENT:error']);
    expect(wrong.files[0]!.anomalies[0]!.message).toContain('edt écrit 2019');
  });

  it('rejects an emp_sts in the shape of sts_emp, naming the line and the element, exit 2', async () => {
    const path = join(root, 'emp_sts_0750680G_2019.xml');
    const text = await readFile(join(FIXTURES, 'metropole/emp_sts_0750680G_2019.xml'), 'latin1');
    await writeFile(path, text.replace('<INDIVIDU ID="31762"/>', '<INDIVIDU ID="31762" TYPE="epp"><NOM_USAGE>DURAND</NOM_USAGE></INDIVIDU>'), 'latin1');
    const { code, files } = await check([path]);
    expect(code).toBe(2);
    expect(files[0]).toMatchObject({ kind: 'edt-sts', uai: '0750680G', millesime: 2019, verdict: 'rejected' });
    expect(files[0]!.anomalies.map((a) => [a.code, a.level, a.subject?.line, a.message])).toEqual([
      ['DTD_NON_CONFORME', 'blocking', 40, 'Ligne 40, <INDIVIDU> : attribut TYPE non prévu par la DTD pour <INDIVIDU>.'],
      ['DTD_NON_CONFORME', 'blocking', 40, 'Ligne 40, <NOM_USAGE> : élément <NOM_USAGE> inattendu dans <INDIVIDU> (attendu : <INDEMNITES> ou <ARES> ou fin de <INDIVIDU> ; modèle (INDEMNITES?, ARES?)).'],
      ['DTD_NON_CONFORME', 'blocking', 40, 'Ligne 40, <NOM_USAGE> : élément <NOM_USAGE> inconnu de la DTD DTD_EDT_STS.dtd.'],
    ]);
  });

  it('rejects an emp_sts with neither ANNEE_SCOLAIRE nor the official name, saying why', async () => {
    const path = join(root, 'export-edt.xml');
    await copyFile(join(FIXTURES, 'metropole-sans-annee/emp_sts_0750680G_2019.xml'), path);
    const { code, files } = await check([path]);
    expect(code).toBe(2);
    expect(files[0]).toMatchObject({ kind: 'edt-sts', verdict: 'rejected', uai: null, millesime: null });
    expect(files[0]!.anomalies.map((a) => a.code)).toEqual(['FICHIER_ILLISIBLE']);
    expect(files[0]!.anomalies[0]!.message).toMatch(/année scolaire inconnue : ni <ANNEE_SCOLAIRE> dans PARAMETRES, ni nom officiel emp_sts_<UAI>_<AAAA>\.xml/);
  });
});
