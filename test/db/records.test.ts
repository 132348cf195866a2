// Schools, exchange files, anomalies and deposits: what activities write besides the step runs.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { selectRows } from '../../db/client';
import { countAnomaliesByLevel, insertAnomalies, listAnomaliesByFile, listAnomaliesByRun, toAnomaly } from '../../db/queries/anomalies';
import { cancelDeposit, recordDeposit, type DepositInput } from '../../db/queries/deposits';
import { recordExchangeFile } from '../../db/queries/exchange-files';
import { listSchools, upsertSchool } from '../../db/queries/schools';
import { startStepRun } from '../../db/queries/step-runs';
import type { Anomaly } from '../../rules/anomaly';
import { describeOnDrivers } from './drivers';

const sha = (c: string): string => c.repeat(64);
const file = (sha256: string, originalName = 'ElevesSansAdresses.zip') => ({
  sha256,
  uai: '0750680G',
  kind: 'siecle-eleves' as const,
  millesime: 2025,
  originalName,
  bytes: 12_345,
  storageKey: `files/${sha256}`,
});

describeOnDrivers('records', (ctx) => {
  it('upsert a school: the connector defaults to the sandbox, a second upsert updates', async () => {
    const db = ctx.db();
    const created = await upsertSchool(db, { uai: '9830418M', name: 'Collège A', academie: 'Nouvelle-Calédonie', calendarZone: 'pacifique-sud' });
    expect(created.connectorKind).toBe('sandbox');
    const updated = await upsertSchool(db, { uai: '9830418M', name: 'Collège B', academie: 'Nouvelle-Calédonie', calendarZone: 'pacifique-sud', connectorKind: 'folder' });
    expect(updated).toMatchObject({ name: 'Collège B', connectorKind: 'folder', createdAt: created.createdAt });
    expect((await listSchools(db)).filter((s) => s.uai === '9830418M')).toHaveLength(1);
  });

  it('record an exchange file once: the same bytes again return the first row', async () => {
    const db = ctx.db();
    const first = await recordExchangeFile(db, file(sha('d')));
    const again = await recordExchangeFile(db, file(sha('d'), 'copie.zip'));
    expect(first.isNew).toBe(true);
    expect(again).toEqual({ isNew: false, file: first.file });
  });

  it('round-trip anomalies with their jsonb subject, by run and by file, and count them by level', async () => {
    const db = ctx.db();
    const { file: stored } = await recordExchangeFile(db, file(sha('e')));
    const stepRun = await startStepRun(db, { uai: '0750680G', millesime: 2025, step: 'pronote-siecle-elegroupe', workflowId: 'w', runId: 'r' });
    const found: Anomaly[] = [
      {
        code: 'ELEGRP_A_02',
        level: 'blocking',
        label: 'ELEGRP',
        message: "L'élève 1234 n'existe pas dans la base.",
        subject: { pupilId: '1234', groupCode: '3A-ANG', line: 12 },
        cause: 'Élève absent de SIECLE',
        correction: 'Importer les élèves',
      },
      { code: 'GROUPE_A_01', level: 'warning', message: 'Groupe inconnu', subject: { groupCode: 'G2' } },
      { code: 'INFO_1', level: 'info', message: 'Rien à signaler' },
    ];
    await insertAnomalies(db, found.map((a) => ({ ...a, stepRunId: stepRun.id, fileSha256: stored.sha256, details: { expected: 2025, got: 2024 } })));

    const byRun = await listAnomaliesByRun(db, stepRun.id);
    expect(byRun.map(toAnomaly)).toEqual(found);
    expect(byRun[0]?.details).toEqual({ expected: 2025, got: 2024 });
    expect((await listAnomaliesByFile(db, stored.sha256)).map((a) => a.id)).toEqual(byRun.map((a) => a.id));
    // Stored as a jsonb object (not a JSON string), so SQL can look inside it.
    const inside = await selectRows<{ kind: string; pupil: string }>(
      db,
      sql`select jsonb_typeof(subject) as kind, subject->>'pupilId' as pupil from anomalies where step_run_id = ${stepRun.id} and code = 'ELEGRP_A_02'`,
    );
    expect(inside).toEqual([{ kind: 'object', pupil: '1234' }]);
    expect(await countAnomaliesByLevel(db, { stepRunId: stepRun.id })).toEqual({ info: 1, warning: 1, error: 0, blocking: 1 });
    expect(await countAnomaliesByLevel(db, { fileSha256: stored.sha256 })).toEqual({ info: 1, warning: 1, error: 0, blocking: 1 });
  });

  it('insert anomalies in batches, all or nothing, and refuse one without owner', async () => {
    const db = ctx.db();
    const stepRun = await startStepRun(db, { uai: '0750681H', millesime: 2025, step: 'lsu-bilans', period: 1, workflowId: 'w', runId: 'r' });
    const many = Array.from({ length: 2_500 }, (_, i) => ({ code: 'LSU_X', level: 'error' as const, message: `n°${i}`, stepRunId: stepRun.id }));
    expect(await insertAnomalies(db, many)).toBe(2_500);
    expect((await countAnomaliesByLevel(db, { stepRunId: stepRun.id })).error).toBe(2_500);
    await expect(insertAnomalies(db, [{ code: 'ORPHAN', level: 'info', message: 'm' }])).rejects.toThrow('belongs to neither a file nor a step run');
  });

  it('record a deposit exactly once when five callers race, and again after a cancelled claim', async () => {
    const db = ctx.db();
    const deposit: DepositInput = { uai: '0750680G', millesime: 2025, step: 'pronote-siecle-elegroupe', inputSha256: sha('f'), targetApplication: 'siecle' };
    const results = await Promise.all(Array.from({ length: 5 }, () => recordDeposit(db, deposit)));
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect(new Set(results.map((r) => r.deposit.id)).size).toBe(1);
    expect((await recordDeposit(db, { ...deposit, millesime: 2026 })).isNew).toBe(true);

    await cancelDeposit(db, results[0]!.deposit.id);
    expect((await recordDeposit(db, deposit)).isNew).toBe(true);
  });
});
