// The dashboard's demo data (client/web/demo-fixture.json) is what the chain produces: the demo
// académie is run again here (`synchro demo` on its own embedded server and PGlite), its rows are
// read back the way scripts/record-demo-fixture.ts records them, and the recorded fixture must have
// the same schools, the same runs with the same statuses, and the same anomalies (code and level)
// on the same steps. When this fails, the chain changed what it records: run the script again.
import { describe, expect, it } from 'vitest';
import { readDemoFixture, type DemoFixture } from '../../client/web/demo-fixture';
import { runDemoAndRecord } from '../../scripts/record-demo-fixture';

/** What a run of the chain decides, without ids, dates, run ids, hashes or attempts (a retry under load) that differ between runs. */
function shape(fixture: DemoFixture): { schools: string[]; runs: string[]; anomalies: string[]; deposits: string[]; files: number } {
  const runs = new Map(fixture.step_runs.map((r) => [r.id, r]));
  const where = (r: Record<string, unknown> | undefined): string => `${String(r?.uai)} ${String(r?.step)} ${typeof r?.period === 'number' ? r.period : '-'}`;
  return {
    schools: fixture.schools.map((s) => `${String(s.uai)} ${String(s.name)} ${String(s.academie)} ${String(s.calendar_zone)} ${String(s.connector_kind)}`).sort(),
    runs: fixture.step_runs.map((r) => `${where(r)} ${String(r.status)} input=${r.input_sha256 ? 'sha256' : '-'} rerun=${r.rerun_of === null ? '-' : 'yes'}`).sort(),
    anomalies: fixture.anomalies.map((a) => `${where(runs.get(a.step_run_id))} ${String(a.code)} ${String(a.level)}`).sort(),
    deposits: fixture.deposits.map((d) => `${String(d.uai)} ${String(d.step)} ${String(d.target_application)}`).sort(),
    files: fixture.exchange_files.length,
  };
}

describe('the demo fixture', () => {
  it('matches a fresh run of the demo académie through the real workflows', async () => {
    const recorded = await readDemoFixture();
    const fresh = await runDemoAndRecord();
    expect(shape(recorded)).toEqual(shape(fresh));
    // The fixture's hashes are real sha256 of the files the runs read, not placeholders.
    for (const run of recorded.step_runs) if (run.input_sha256 !== null) expect(run.input_sha256, `${String(run.uai)} ${String(run.step)}`).toMatch(/^[0-9a-f]{64}$/);
  }, 300_000);
});
