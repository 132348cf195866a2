// The operator's registration commands as subprocesses: the académie's list imported all or
// nothing (an ISO-8859-15 spreadsheet export with accents), schools listed as JSON, and files of a
// generated school dropped in the right inbox, while a file of another school or under a
// non-official name never gets there.
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, writeSchoolFolder } from '../../generators';
import { freshEnv, removeFreshDirs, runCli } from '../support/cli';

let env: NodeJS.ProcessEnv;
let files: string;
const written: Record<string, string> = {};

beforeAll(async () => {
  env = await freshEnv();
  files = await mkdtemp(path.join(os.tmpdir(), 'synchro-drop-'));
  const { model } = generateSchool({ seed: 5, kind: 'college', millesime: 2025, uai: '0382032C' });
  for (const file of await writeSchoolFolder(model, files)) written[file.role] ??= path.join(files, file.path);
});
afterAll(async () => {
  await removeFreshDirs();
  await rm(files, { recursive: true, force: true });
});

const list = async (): Promise<{ uai: string; name: string; academie: string; calendarZone: string; connector: string }[]> =>
  (JSON.parse((await runCli(['schools', 'list', '--json'], env)).stdout) as { schools: [] }).schools;

describe('synchro schools', () => {
  it('imports nothing from a list with a wrong line, says which lines, then imports the corrected list', async () => {
    const csv = path.join(files, 'etablissements.csv');
    const lines = ['uai;nom;academie', '0382032C;Collège Les Buclos;Grenoble', '9830418Z;Collège de Rivière-Salée;Nouvelle-Calédonie', '0750680G;;Paris'];
    await writeFile(csv, iconv.encode(`${lines.join('\r\n')}\r\n`, 'iso-8859-15'));
    const refused = await runCli(['schools', 'import', csv], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("rien n'a été importé");
    expect(refused.stderr).toMatch(/ligne 3 : .*9830418Z/);
    expect(refused.stderr).toContain('ligne 4 : nom manquant.');
    expect(await list()).toEqual([]);

    lines[2] = '9830418M;Collège de Rivière-Salée;Nouvelle-Calédonie';
    lines[3] = '0750680G;Lycée Charlemagne;Paris';
    await writeFile(csv, iconv.encode(`${lines.join('\r\n')}\r\n`, 'iso-8859-15'));
    const imported = await runCli(['schools', 'import', csv, '--json'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({ imported: 3, problems: [] });
    const schools = await list();
    expect(schools.map((s) => [s.uai, s.name, s.connector])).toEqual([
      ['0382032C', 'Collège Les Buclos', 'folder'], ['0750680G', 'Lycée Charlemagne', 'folder'], ['9830418M', 'Collège de Rivière-Salée', 'folder'],
    ]);
    expect(schools.find((s) => s.uai === '9830418M')!.calendarZone).not.toBe(schools[0]!.calendarZone);
  }, 180_000); // four CLI processes, the first migrating a fresh PGlite: 15 s each on a loaded 2-core machine

  it('adds one school and refuses a malformed UAI', async () => {
    const added = await runCli(['schools', 'add', '0660864F', '--name', 'Lycée Arago', '--academie', 'Montpellier'], env);
    expect(added.code, added.stderr).toBe(0);
    expect((await list()).map((s) => s.uai)).toContain('0660864F');
    const bad = await runCli(['schools', 'add', '0660864', '--name', 'X', '--academie', 'Y'], env);
    expect(bad.code).toBe(64);
  }, 60_000);
});

describe('synchro drop', () => {
  it("puts each file in the inbox of the application that exported it, and only the school's own files", async () => {
    const inbox = (app: string): Promise<string[]> => readdir(path.join(env.SYNCHRO_DATA_DIR!, 'schools', '0382032C', app, 'inbox'));
    const sts = await runCli(['drop', written['sts-emp']!, '--uai', '0382032C', '--json'], env);
    expect(sts.code, sts.stderr).toBe(0);
    expect(JSON.parse(sts.stdout)).toMatchObject({ kind: 'sts-edt', application: 'sts' });
    expect(await inbox('sts')).toEqual([path.basename(written['sts-emp']!)]);
    const elegroupe = await runCli(['drop', written.elegroupe!, '--uai', '0382032c'], env);
    expect(elegroupe.code, elegroupe.stderr).toBe(0);
    expect(await inbox('pronote')).toEqual([path.basename(written.elegroupe!)]);

    const other = await runCli(['drop', written['sts-emp']!, '--uai', '0750680G'], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("fichier de l'établissement 0382032C, pas de 0750680G");
    const renamed = path.join(files, 'structure.xml');
    await copyFile(written['sts-emp']!, renamed);
    const unofficial = await runCli(['drop', renamed, '--uai', '0382032C'], env);
    expect(unofficial.code).toBe(2);
    expect(unofficial.stderr).toContain('nom attendu sts_emp_<UAI>_<AAAA>.xml');
    const malformed = await runCli(['drop', written['sts-emp']!, '--uai', '0130001P'], env);
    expect(malformed.code).toBe(64);
    expect(malformed.stderr).toContain('la lettre clé devrait être F');
    const unknown = await runCli(['drop', written['sts-emp']!, '--uai', '0130001F'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('schools add');
    expect(await inbox('sts')).toHaveLength(1);
  }, 60_000);
});
