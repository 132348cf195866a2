// Issue 11, item 6: a reference file that is there but cannot be read is never silently dropped.
// Before, loadReferenceFiles turned it into a warning no step read, so a corrupt pupils export made
// LSU's base sync "wait" 14 days for a file that was there. Now `synchro check --reference`
// reports it (Bloquant, named), a step fails at once (StepRejected), and I/O errors are thrown for
// Temporal's retries.
import { runStepOn } from '../../../activities/step-ports';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepRejected } from '../../../activities/step-run';
import { isIoError, loadReference, loadReferenceFiles } from '../../../checks/reference';
import { createSandboxConnector, provisionSandboxSchool } from '../../../connectors/sandbox';
import { SchoolFolders } from '../../../connectors/school-folders';
import { generateSchool, writeSchoolFolder, type WrittenFile } from '../../../generators/index';
import { openHarness, request, SCHOOLS, type Harness } from '../../support/step-harness';

const PUPILS = 'ExportXML_ElevesSansAdresses.zip';
let root: string;
let exports: WrittenFile[];
let schoolDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'synchro-reference-'));
  schoolDir = join(root, 'school');
  const { model } = generateSchool({ seed: 5, kind: 'college', millesime: 2017, uai: '0740001Z', pupils: 60 });
  exports = await writeSchoolFolder(model, schoolDir);
});
afterAll(async () => rm(root, { recursive: true, force: true }));

const pathOf = (name: string): string => join(schoolDir, exports.find((w) => w.path.endsWith(name))!.path);

/** A reference folder: the school's Structures export, a truncated copy of its pupils export, and an unrelated XML. */
async function folderWithCorruptPupils(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'ExportXML_Structures.zip'), await readFile(pathOf('ExportXML_Structures.zip')));
  const pupils = await readFile(pathOf(PUPILS));
  await writeFile(join(dir, PUPILS), pupils.subarray(0, Math.floor(pupils.length / 2))); // an interrupted copy
  await writeFile(join(dir, 'notes.xml'), '<?xml version="1.0"?><notes/>');
  return dir;
}

describe('loadReference', () => {
  it('reports a truncated pupils export as Bloquant, naming it; merely ignores a file that is no reference file', async () => {
    const ref = await loadReference(await folderWithCorruptPupils('corrupt'));
    expect(ref.eleves).toBeUndefined();
    expect(ref.structures?.header.uai).toBe('0740001Z');
    expect(ref.unreadable.map((u) => [u.file, u.anomaly.code, u.anomaly.level])).toEqual([[PUPILS, 'REFERENCE_ILLISIBLE', 'blocking']]);
    expect(ref.unreadable[0]!.anomaly.message).toMatch(new RegExp(`^Fichier de référence illisible : ${PUPILS} \\(.+\\)$`));
    expect(ref.warnings).toEqual([expect.stringContaining('notes.xml')]);
  });

  it('a reference file named as one but not an exchange file is unreadable too, not ignored', async () => {
    const dir = join(root, 'renamed');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'ExportXML_Communs.zip'), 'pas un zip');
    expect((await loadReference(dir)).unreadable.map((u) => u.file)).toEqual(['ExportXML_Communs.zip']);
  });

  it('throws input/output errors when asked to (the steps: Temporal retries), reports them otherwise', async () => {
    const gone = [{ path: join(root, 'gone', PUPILS), name: PUPILS }]; // listed, then removed before it was read
    const thrown = await loadReferenceFiles(gone, undefined, { ioErrors: 'throw' }).then(() => undefined, (e: unknown) => e);
    expect(isIoError(thrown)).toBe(true);
    expect((thrown as NodeJS.ErrnoException).code).toBe('ENOENT');
    const reported = await loadReferenceFiles(gone);
    expect(reported.unreadable[0]?.anomaly).toMatchObject({ code: 'REFERENCE_ILLISIBLE', level: 'blocking', subject: { file: PUPILS } });
    const aDirectory = [{ path: root, name: PUPILS }];
    expect(isIoError(await loadReferenceFiles(aDirectory, undefined, { ioErrors: 'throw' }).then(() => undefined, (e: unknown) => e))).toBe(true);
  });

  it('synchro check --reference: the unreadable reference file is a rejected file of its own (exit 2)', async () => {
    const dir = await folderWithCorruptPupils('cli');
    const bin = join(import.meta.dirname, '../../../bin/synchro.js');
    const outcome = await promisify(execFile)(process.execPath, [bin, 'check', '--json', pathOf('sts_emp_0740001Z_2017.xml'), '--reference', dir, '--on', '2018-01-15'])
      .then(() => ({ code: 0, stdout: '' }), (e: { code: number; stdout: string }) => e);
    expect(outcome.code).toBe(2);
    const files = (JSON.parse(outcome.stdout) as { files: { file: string; kind: string; verdict: string; anomalies: { code: string; level: string }[] }[] }).files;
    expect(files[0]).toMatchObject({ file: PUPILS, kind: 'reference', verdict: 'rejected', anomalies: [{ code: 'REFERENCE_ILLISIBLE', level: 'blocking' }] });
    expect(files[1]?.file).toBe('sts_emp_0740001Z_2017.xml');
  }, 60_000);
});

describe('a corrupt pupils export in the inbox fails the steps that read it at once', () => {
  const school = SCHOOLS[0];
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness();
    await provisionSandboxSchool({ dataDir: h.dataDir, uai: school.uai, kind: 'college', millesime: school.millesime, seed: 7 });
  });
  afterAll(() => h.close());

  async function corruptPupilsExport(): Promise<void> {
    const path = new SchoolFolders(h.dataDir, school.uai).path('siecle', 'inbox', PUPILS);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
  }

  it("LSU's base sync: StepRejected naming the file, not 'waiting-file'", async () => {
    const connector = createSandboxConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    expect((await runStepOn(h, connector, request(school, 'lsu-base-sync', 1), h.env)).kind).toBe('done');
    // The élève-groupe deposit is made while the export is sound; SIECLE's night comes after the corruption.
    expect((await runStepOn(h, connector, request(school, 'pronote-siecle-elegroupe'), h.env)).kind).toBe('queued-for-night');
    await corruptPupilsExport();
    const error = await runStepOn(h, connector, request(school, 'lsu-base-sync', 1), h.env).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StepRejected);
    expect((error as StepRejected).message).toMatch(new RegExp(`^Fichier de référence illisible : ${PUPILS} \\(`));
    expect((error as StepRejected).anomalies).toEqual([expect.objectContaining({ code: 'REFERENCE_ILLISIBLE', level: 'blocking', subject: { file: PUPILS } })]);
  });

  it("SIECLE's night: StepRejected too, instead of a compte-rendu without pupils", async () => {
    const connector = createSandboxConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    const error = await connector.processNight({ uai: school.uai, millesime: school.millesime, night: school.businessDate, businessDate: school.businessDate }, h.env).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StepRejected);
    expect((error as StepRejected).anomalies[0]?.subject?.file).toBe(PUPILS);
  });
});
