import { describe, expect, it } from 'vitest';
import { insertAnomalies } from '../../../db/queries/anomalies';
import { upsertSchool } from '../../../db/queries/schools';
import { startStepRun } from '../../../db/queries/step-runs';
import { STEP_IDS } from '../../../workflows/steps';
import { useDemoDashboard } from './web-harness';

const dashboard = useDemoDashboard();

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await dashboard.app().request(path);
  return { status: response.status, body: await response.text() };
}

/** The rows of the grid: uai → { step → cell text }. */
function cells(body: string): Map<string, Map<string, string>> {
  const rows = new Map<string, Map<string, string>>();
  for (const row of body.matchAll(/<tr data-uai="([^"]+)">(.*?)<\/tr>/gs)) {
    const byStep = new Map<string, string>();
    for (const cell of row[2]!.matchAll(/<td class="cell[^"]*" data-step="([^"]+)"[^>]*>(.*?)<\/td>/gs)) byStep.set(cell[1]!, cell[2]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    rows.set(row[1]!, byStep);
  }
  return rows;
}

describe('the académie grid', () => {
  it('shows every school as a row and the eight steps as columns in the chain order, each cell the latest status with its counts', async () => {
    const { status, body } = await get('/');
    expect(status).toBe(200);
    const grid = cells(body);
    // The rows a real run of the demo académie left (client/web/demo-fixture.json).
    expect([...grid.keys()]).toEqual(['0660864F', '0750680G', '9830418M']);
    expect([...grid.get('0750680G')!.keys()]).toEqual([...STEP_IDS]);
    // The unknown group injected in the collège's élève-groupe file: SIECLE's warning, plus the long code's information.
    expect(grid.get('0750680G')!.get('pronote-siecle-elegroupe')).toBe('Réussie avec anomalies A 1 · I 1');
    expect(grid.get('0750680G')!.get('lsu-bilans')).toBe('Réussie avec anomalies A 1');
    expect(grid.get('0750680G')!.get('sts-edt')).toBe('Réussie');
    expect(grid.get('9830418M')!.get('pronote-siecle-elegroupe')).toBe('Réussie avec anomalies A 3 · I 1');
    // LSU's bilans are for collèges: the lycée has no run there.
    expect(grid.get('0660864F')!.get('lsu-bilans')).toBe('—');
    expect(body).toMatch(/<a href="\/runs\/\d+">Réussie avec anomalies/);
  });

  it('filters by académie, by step, by status and on failures only, from the query string', async () => {
    expect([...cells((await get('/?academie=NOUVELLE-CALEDONIE')).body).keys()]).toEqual(['9830418M']);
    const oneStep = cells((await get('/?step=lsu-bilans')).body);
    expect([...oneStep.get('0750680G')!.keys()]).toEqual(['lsu-bilans']);
    expect([...cells((await get('/?status=succeeded-with-anomalies&step=lsu-bilans')).body).keys()]).toEqual(['0750680G']);
    // Nothing failed in the demo's run: keeping the failures leaves no school.
    const failures = await get('/?echecs=1');
    expect([...cells(failures.body).keys()]).toEqual([]);
    expect(failures.body).toContain('Aucun établissement ne correspond');
    expect(failures.body).toMatch(/name="echecs" value="1" checked/);
    const none = await get('/?academie=Lyon');
    expect(none.body).toContain('Aucun établissement ne correspond');
  });

  it('refuses an unknown step or status in the filters instead of showing everything', async () => {
    expect((await get('/?step=nope')).status).toBe(400);
    expect((await get('/?status=%3Cb%3E')).body).not.toContain('<b>');
  });

  it('escapes every value: a school named with a <script> shows as text', async () => {
    await upsertSchool(dashboard.db, { uai: '0999999X', name: '<script>alert("x")</script> & Cie', academie: 'Lyon"><b>', calendarZone: 'metropole' });
    const run = await startStepRun(dashboard.db, { uai: '0999999X', millesime: 2025, step: 'sts-edt', workflowId: 'w"><script>alert(1)</script>', runId: 'r' });
    await insertAnomalies(dashboard.db, [
      { stepRunId: run.id, code: '<script>alert(2)</script>', level: 'error', label: '<script>alert(3)</script>', message: '"><script>alert(4)</script>', cause: '<script>alert(5)</script>', subject: { pupilId: '<script>alert(6)</script>' } },
    ]);
    for (const path of ['/', '/ecoles/0999999X', '/?academie=Lyon%22%3E%3Cb%3E', `/runs/${run.id}`]) {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('"><b>');
      expect(body).not.toContain('<script>');
      expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie');
    }
  });
});
