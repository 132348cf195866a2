// The notification sweep as Temporal runs it: the académie's schedule exists after apply, and the
// notificationsSweep workflow on the real dev server mails a failed step to the school's contact
// through a real SMTP server (smtp-server, 127.0.0.1), once however often it runs.
import { randomUUID } from 'node:crypto';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities';
import { applyNotificationSchedule } from '../../client/schedules/notifications';
import { insertAnomalies } from '../../db/queries/anomalies';
import { addContact } from '../../db/queries/notifications';
import { upsertSchool } from '../../db/queries/schools';
import { finishStepRun, startStepRun } from '../../db/queries/step-runs';
import { smtpMailer } from '../../notifications/mailer';
import { createWorker } from '../../worker/worker';
import { notificationsSweep } from '../../workflows';
import { MemoryStore, connectorDouble } from '../support/connector-double';
import { startSmtpInbox, type ReceivedMail, type SmtpInbox } from '../support/smtp-inbox';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
let smtp: SmtpInbox | undefined;
let port: number;
const received: ReceivedMail[] = [];

beforeAll(async () => {
  smtp = await startSmtpInbox((mail) => received.push(mail));
  port = smtp.port;
});
afterAll(() => smtp?.close());

describe('the notification sweep workflow', () => {
  it('is scheduled per académie, and mails a failed step once from a run on the dev server', async () => {
    const academie = `Test-${randomUUID().slice(0, 8)}`;
    const uai = '0382032C';
    const applied = await applyNotificationSchedule(harness.client, { academie, millesime: 2026, uais: [uai], taskQueue: 'unused' });
    expect(applied.change).toBe('created');
    const described = await harness.client.schedule.getHandle(applied.scheduleId).describe();
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'notificationsSweep' });
    await harness.client.schedule.getHandle(applied.scheduleId).delete();

    await upsertSchool(harness.db, { uai, name: 'Collège Les Buclos', academie, calendarZone: 'metropole' });
    await addContact(harness.db, uai, 'ce@buclos.test');
    const run = await startStepRun(harness.db, { uai, millesime: 2026, step: 'lsu-bilans', period: 1, workflowId: `term/${uai}/2026/1/lsu-bilans`, runId: randomUUID() });
    await insertAnomalies(harness.db, [{ stepRunId: run.id, code: 'ENSEIGNANT_INCONNU', level: 'error', message: "L'enseignant … du bilan de l'élève DUPONT Marie n'est pas connu de LSU." }]);
    await finishStepRun(harness.db, run.id, 'failed', { info: 0, warning: 0, error: 1, blocking: 0 });

    const mail = { smtp: { host: '127.0.0.1', port, secure: false }, from: 'synchro <s@ac.test>', admins: [], fileExpectedDays: 7, digestHour: 7 };
    const mailer = smtpMailer(mail);
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const taskQueue = `test-${randomUUID()}`;
    try {
      const activities = createActivities({ db: harness.db, store: new MemoryStore(), connectorFor: () => Promise.resolve(connectorDouble(() => Promise.reject(new Error('unused')))), mail, mailer });
      const worker = await createWorker({ connection, namespace: inject('temporalNamespace'), taskQueue, activities });
      await worker.runUntil(async () => {
        const sweep = (n: number) => harness.client.workflow.execute(notificationsSweep, { taskQueue, workflowId: `notifications/${academie}/${n}`, args: [{ uais: [uai] }] });
        const first = await sweep(1);
        expect(first).toEqual({ enabled: true, sent: [{ kind: 'step-failed', key: `step-failed:${run.id}` }], failed: 0 });
        expect((await sweep(2)).sent).toEqual([]);
      });
    } finally {
      mailer.close();
      await connection.close();
    }
    const mine = received.filter((m) => m.to.includes('ce@buclos.test'));
    expect(mine).toHaveLength(1);
    const body = Buffer.from(mine[0]!.raw.split('\r\n\r\n').slice(1).join('').replace(/\s+/g, ''), 'base64').toString('utf8');
    expect(body).toMatch(/ENSEIGNANT_INCONNU\s+Erreur\s+1/);
    expect(body).not.toContain('DUPONT');
  });
});
