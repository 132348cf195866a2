// `synchro check --json` as a subprocess on generated schools: exit codes, verdicts, counts, and
// the injected faults found exactly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, writeSchoolFolder, type FaultSpec, type GeneratedSchool, type WrittenFile } from '../../../generators/index.js';
import { checkJson as check, type CheckedFile } from '../../support/check-json';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'synchro-check-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function school(name: string, uai: string, faults: FaultSpec[]): Promise<{ dir: string; s: GeneratedSchool; path: (role: WrittenFile['role']) => string }> {
  const s = generateSchool({ seed: 31, kind: 'college', millesime: 2017, uai, pupils: 90, faults });
  const dir = join(root, name);
  const written = await writeSchoolFolder(s.model, dir);
  return { dir, s, path: (role) => join(dir, written.find((w) => w.role === role)!.path) };
}

const nonInfo = (f: CheckedFile): string[] => f.anomalies.filter((a) => a.level !== 'info').map((a) => `${a.code.startsWith('LSU_') ? a.label : a.code}@${a.subject?.pupilId ?? ''}`).sort();

describe('synchro check --json', () => {
  it('finds exactly the injected faults in a Nouvelle-Calédonie collège, exit 1', async () => {
    const { dir, s, path } = await school('nc', '9830418M', [{ kind: 'unknown-group' }, { kind: 'date-outside-calendar' }, { kind: 'unknown-teacher' }]);
    const on = s.model.generatedAt.slice(0, 10);
    const { code, files } = await check([path('elegroupe'), path('lsu'), '--reference', dir, '--on', on]);
    expect(code).toBe(1);
    const [eg, lsu] = files;
    expect(eg).toMatchObject({ kind: 'elegroupe', uai: '9830418M', millesime: 2017, verdict: 'accepted-with-anomalies' });
    expect(eg?.counts).toEqual({ read: 90, imported: 87, partial: 3, rejected: 0, absent: 0 });
    const expected = (file: string): string[] => s.injected.filter((f) => f.file === file).map((f) => `${f.code}@${f.eleveId ?? ''}`).sort();
    expect(nonInfo(eg!)).toEqual(expected('elegroupe'));
    expect(lsu).toMatchObject({ kind: 'lsu-bilans', verdict: 'accepted-with-anomalies' });
    expect(nonInfo(lsu!)).toEqual(expected('lsu'));
    expect(Object.keys(lsu!.counts)).toEqual(['periodic', 'cycle']);
    expect(lsu?.counts.periodic).toMatchObject({ importedWithAlerts: 1, rejected: 0 });
  }, 60_000);

  it('accepts a clean school (exit 0) and refuses a file of the wrong millésime (exit 2)', async () => {
    const clean = await school('clean', '0740001Z', []);
    const on = clean.s.model.generatedAt.slice(0, 10);
    const ok = await check([clean.path('elegroupe'), clean.path('sts-emp'), '--reference', clean.dir, '--on', on]);
    expect(ok.code).toBe(0);
    expect(ok.files.map((f) => f.verdict)).toEqual(['accepted', 'accepted']);

    const wrong = await school('wrong', '0740001Z', [{ kind: 'wrong-millesime' }]);
    const refused = await check([wrong.path('elegroupe'), '--on', on]);
    expect(refused.code).toBe(2);
    expect(refused.files[0]).toMatchObject({ verdict: 'rejected', anomalies: [{ code: 'DEPOT_ANNEE', level: 'blocking' }] });
  }, 60_000);

  it('rejects an unreadable file with one Bloquant anomaly, never a crash', async () => {
    const garbage = join(root, '0740001ZELEGROUPE2017180101000000.zip');
    await writeFile(garbage, 'pas un zip');
    const missing = join(root, 'absent.xml');
    const { code, files } = await check([garbage, missing, '--on', '2018-01-02']);
    expect(code).toBe(2);
    expect(files.map((f) => [f.verdict, f.anomalies.filter((a) => a.level === 'blocking').length])).toEqual([['rejected', 1], ['rejected', 1]]);
  }, 60_000);
});
