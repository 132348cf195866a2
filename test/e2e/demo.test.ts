// `synchro demo --json` as a user runs it after `npm install`: the demo académie (three generated
// schools, faults injected on purpose) runs to the end on its own embedded server, every step
// ends in a final state, and every injected fault is reported by the step that should see it.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshEnv, removeFreshDirs, runCli } from '../support/cli';

afterAll(removeFreshDirs);

interface DemoJson {
  schools: {
    uai: string;
    academie: string;
    steps: { step: string; status: string | null; anomalies: Record<string, number> | null }[];
    injected: { code: string; eleveId?: string; reportedBy: string | null }[];
  }[];
  allFinal: boolean;
  allReported: boolean;
  dataDir: string;
}

const FINAL = ['succeeded', 'succeeded-with-anomalies', 'failed', 'blocked'];

describe('synchro demo --json', () => {
  it('runs the demo académie to the end and reports every injected fault where SIECLE and LSU report it', async () => {
    const env = await freshEnv();
    const { code, stdout, stderr } = await runCli(['demo', '--json'], env);
    expect(code, stderr).toBe(0);
    const demo = JSON.parse(stdout) as DemoJson;
    expect(demo.dataDir).toBe(path.join(env.SYNCHRO_DATA_DIR!, 'demo'));
    expect(demo.schools.map((s) => s.uai)).toEqual(['0750680G', '0660864F', '9830418M']);
    expect(demo.schools.map((s) => s.academie)).toContain('NOUVELLE-CALEDONIE');

    for (const school of demo.schools) {
      for (const cell of school.steps) {
        // LSU concerns collèges: the lycée has no bilans import, every other step ended.
        if (school.uai === '0660864F' && cell.step === 'lsu-bilans') expect(cell.status).toBeNull();
        else expect(FINAL, `${school.uai} ${cell.step}`).toContain(cell.status);
      }
      const elegroupe = school.steps.find((c) => c.step === 'pronote-siecle-elegroupe')!;
      expect(elegroupe.status).toBe('succeeded-with-anomalies');
      expect(school.injected.length).toBeGreaterThan(0);
      for (const fault of school.injected) expect(fault.reportedBy, `${school.uai} ${fault.code}`).not.toBeNull();
    }
    const codes = demo.schools.flatMap((s) => s.injected.map((f) => `${s.uai} ${f.code} ${f.reportedBy}`));
    expect(codes).toEqual(expect.arrayContaining([
      '0750680G GROUPE_A_01 pronote-siecle-elegroupe',
      '0750680G Enseignant inconnu lsu-bilans',
      '9830418M ELEGRP_A_02 pronote-siecle-elegroupe',
    ]));
    const paris = demo.schools[0]!.steps.find((c) => c.step === 'lsu-bilans')!;
    expect(paris.status).toBe('succeeded-with-anomalies');
    expect(demo).toMatchObject({ allFinal: true, allReported: true });
    // Progress went to stderr, the JSON alone to stdout; the demo kept its files apart.
    expect(stderr).toContain('Nuit SIECLE du 2026-03-02');
    expect(await readdir(env.SYNCHRO_DATA_DIR!)).toEqual(['demo']);
  }, 240_000);
});
