// The bench's fast provisioning (scripts/bench/chain/provision.ts): a school copied from a sandbox
// template under another UAI must read, through the real checks, exactly as the template does under
// its own UAI — same kinds, verdicts, anomalies and counts — and carry the new UAI everywhere.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile, type FileResult } from '../../../checks/check-file';
import { loadReference } from '../../../checks/reference';
import { provisionSandboxSchool } from '../../../connectors/sandbox';
import { uaiCheckLetter } from '../../../formats/uai';
import { BENCH_MILLESIME, copySchool, loadTemplate, type Template, type TemplateSpec } from '../../../scripts/bench/chain/provision';

const uai = (seven: string): string => `${seven}${uaiCheckLetter(seven)}`;
const TEMPLATE: TemplateSpec = { uai: uai('0339990'), kind: 'college', seed: 7, faults: [{ kind: 'unknown-group' }] };
const COPY = uai('0331234');
const ON = '2026-03-02';

let dir: string;
let template: Template;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-provision-'));
  const school = await provisionSandboxSchool({ dataDir: join(dir, 'templates'), millesime: BENCH_MILLESIME, ...TEMPLATE });
  template = await loadTemplate(join(dir, 'templates', 'schools', TEMPLATE.uai), TEMPLATE, school.name);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function filesOf(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1)).sort();
}

async function checked(schoolDir: string): Promise<Map<string, FileResult>> {
  const reference = await loadReference(join(schoolDir, 'siecle', 'inbox'));
  const results = new Map<string, FileResult>();
  for (const app of ['sts', 'edt', 'siecle', 'pronote', 'lsu']) {
    for (const name of await readdir(join(schoolDir, app, 'inbox'))) {
      if (name.endsWith('.json')) continue;
      results.set(`${app}/${name}`, await checkFile(join(schoolDir, app, 'inbox', name), { reference, on: ON, pupilsExportDone: true }));
    }
  }
  return results;
}

describe('bench provisioning: a school copied from a sandbox template', () => {
  it('holds every file of the template, renamed, and reads exactly as the template through the real checks', async () => {
    const dataDir = join(dir, 'year');
    await copySchool(template, dataDir, COPY, 'year');
    const original = join(dir, 'templates', 'schools', TEMPLATE.uai);
    const copy = join(dataDir, 'schools', COPY);
    expect(await filesOf(copy)).toEqual((await filesOf(original)).map((f) => f.split(TEMPLATE.uai).join(COPY)));

    const before = await checked(original);
    const after = await checked(copy);
    expect([...after.keys()]).toEqual([...before.keys()].map((k) => k.split(TEMPLATE.uai).join(COPY)));
    expect(before.size).toBeGreaterThanOrEqual(10);
    for (const [name, want] of before) {
      const got = after.get(name.split(TEMPLATE.uai).join(COPY))!;
      expect(got.uai, name).toBe(COPY);
      expect(want.uai, name).toBe(TEMPLATE.uai);
      expect({ kind: got.kind, verdict: got.verdict, codes: got.anomalies.map((a) => a.code), counts: got.counts }, name).toEqual({ kind: want.kind, verdict: want.verdict, codes: want.anomalies.map((a) => a.code), counts: want.counts });
    }
    // The template's fault travels with the copy: the élève-groupe file names a group SIECLE does not know.
    const eleGroupe = [...after].find(([name]) => name.startsWith('pronote/'))![1];
    expect(eleGroupe.anomalies.map((a) => a.code)).toContain('GROUPE_A_01');
  });

  it("writes only what SIECLE's night reads for the night's schools, and the school's sandbox settings", async () => {
    const dataDir = join(dir, 'night');
    await copySchool(template, dataDir, COPY, 'night');
    const files = await filesOf(join(dataDir, 'schools', COPY));
    expect(files.filter((f) => !f.startsWith('pronote/'))).toEqual(['sandbox.json', 'siecle/inbox/ExportXML_Communs.zip', 'siecle/inbox/ExportXML_ElevesSansAdresses.zip', 'siecle/inbox/ExportXML_Structures.zip']);
    expect(files.filter((f) => f.startsWith('pronote/'))).toEqual([expect.stringMatching(new RegExp(`^pronote/inbox/${COPY}ELEGROUPE${BENCH_MILLESIME}\\d{12}\\.zip$`))]);
    const settings = JSON.parse(await readFile(join(dataDir, 'schools', COPY, 'sandbox.json'), 'utf8')) as { uai: string; kind: string; faults: unknown[] };
    expect(settings).toMatchObject({ uai: COPY, kind: 'college', faults: [{ kind: 'unknown-group' }] });
  });
});
