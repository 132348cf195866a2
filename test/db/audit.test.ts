// The audit log: appended by every act of a person or a script, read newest first per school.
import { expect, it } from 'vitest';
import { listAudit, recordAudit } from '../../db/queries/audit';
import { describeOnDrivers } from './drivers';

describeOnDrivers('audit log', (ctx) => {
  it('keeps every act, newest first, filtered by school and date', async () => {
    const db = ctx.db();
    const before = new Date(Date.now() - 60_000);
    await recordAudit(db, { actor: { subject: 'sub-1', name: 'Agent Un' }, action: 'sign-in', address: '127.0.0.1' });
    await recordAudit(db, { actor: { subject: 'sub-1', name: 'Agent Un' }, action: 'upload', uai: '0750680G', details: { name: 'sts_emp_0750680G_2025.xml', sha256: 'a'.repeat(64) } });
    await recordAudit(db, { actor: { subject: 'jeton' }, action: 'rerun', uai: '0750681H', details: { stepRunId: 4 } });
    const school = await listAudit(db, { uai: '0750680G' });
    expect(school.map((r) => r.action)).toEqual(['upload']);
    expect(school[0]).toMatchObject({ actorSubject: 'sub-1', actorName: 'Agent Un', details: { name: 'sts_emp_0750680G_2025.xml' } });
    expect((await listAudit(db, { since: before })).map((r) => r.action)).toEqual(['rerun', 'upload', 'sign-in']);
    expect(await listAudit(db, { since: new Date(Date.now() + 60_000) })).toEqual([]);
  });
});
