// A refused step is mailed at once, not with the next 15-minute sweep: on the real dev server a
// step refused by the rules is recorded failed by its activity, which starts the school's sweep
// (`notifications/step-failed/<run>`); the mail reaches a real SMTP server (smtp-server, 127.0.0.1)
// within seconds, with no schedule anywhere, names no pupil, and is sent once: the académie's
// sweep that comes later sends only the admins' digest, which the immediate sweep left alone.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WorkflowFailedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../activities';
import { failureSweepWorkflowId } from '../../activities/failure-mail';
import { StepRejected } from '../../activities/step-run';
import { addContact } from '../../db/queries/notifications';
import { upsertSchool } from '../../db/queries/schools';
import { listStepRuns } from '../../db/queries/step-runs';
import { uaiCheckLetter } from '../../formats/uai';
import { smtpMailer } from '../../notifications/mailer';
import { createWorker } from '../../worker/worker';
import { notificationsSweep, stepRun } from '../../workflows';
import { MemoryStore, connectorDouble } from '../support/connector-double';
import { useTemporalHarness } from '../support/temporal';

const harness = useTemporalHarness();
// A school no other test uses.
const UAI = `0693143${uaiCheckLetter('0693143')}`;
let smtp: SMTPServer;
let port: number;
const received: { to: string[]; raw: string; at: number }[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve())));

/** The text of a mail (nodemailer sends it base64-encoded). */
const textOf = (raw: string) => Buffer.from(raw.split('\r\n\r\n').slice(1).join('').replace(/\s+/g, ''), 'base64').toString('utf8');

describe('the failure mail', () => {
  it('goes out as soon as the step is refused, once, without sending the digest early', async () => {
    const academie = `Lyon-${randomUUID().slice(0, 8)}`;
    await upsertSchool(harness.db, { uai: UAI, name: 'Collège de Fourvière', academie, calendarZone: 'metropole' });
    await addContact(harness.db, UAI, 'ce@fourviere.test');
    // digestHour 0: the admins' digest is due at any hour, so a sweep that sent it would show.
    const mail = { smtp: { host: '127.0.0.1', port, secure: false }, from: 'synchro <s@ac.test>', admins: ['dane@ac-lyon.test'], fileExpectedDays: 7, digestHour: 0 };
    const mailer = smtpMailer(mail);
    const refusing = connectorDouble(() => Promise.reject(new StepRejected('EDT → STS-Web refusé', [
      { code: 'GROUPE_SANS_SERVICE', level: 'blocking', message: "Le groupe 4A-ANG, où EDT note l'élève DUPONT Marie, n'a pas de service dans STS-Web." },
    ])));
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const taskQueue = `test-${randomUUID()}`;
    try {
      const activities = createActivities({ db: harness.db, store: new MemoryStore(), connectorFor: () => Promise.resolve(refusing), mail, mailer });
      const worker = await createWorker({ connection, namespace: inject('temporalNamespace'), taskQueue, activities });
      await worker.runUntil(async () => {
        const failure = await harness.client.workflow.execute(stepRun, { taskQueue, workflowId: `step/${randomUUID()}`, args: [{ uai: UAI, millesime: 2026, step: 'edt-sts' }] }).catch((e: unknown) => e);
        const failedAt = Date.now();
        expect(failure).toBeInstanceOf(WorkflowFailedError);
        const [run] = await listStepRuns(harness.db, { uai: UAI });
        expect(run).toMatchObject({ step: 'edt-sts', status: 'failed' });

        // The sweep the failure started, for that run and school: it mailed the failure, nothing else.
        const sweep = harness.client.workflow.getHandle(failureSweepWorkflowId(run!.id));
        expect(await sweep.result()).toEqual({ enabled: true, sent: [{ kind: 'step-failed', key: `step-failed:${run!.id}` }], failed: 0 });
        const mine = received.filter((m) => m.to.includes('ce@fourviere.test'));
        expect(mine).toHaveLength(1);
        expect(mine[0]!.at - failedAt).toBeLessThan(15_000);
        const body = textOf(mine[0]!.raw);
        expect(body).toMatch(/GROUPE_SANS_SERVICE/);
        expect(body).toContain(`exécution n° ${run!.id}`);
        expect(body).not.toContain('DUPONT');
        expect(received.filter((m) => m.to.includes('dane@ac-lyon.test'))).toEqual([]);

        // The académie's scheduled sweep, later: the digest, and not the failure again.
        const scheduled = await harness.client.workflow.execute(notificationsSweep, { taskQueue, workflowId: `notifications/${academie}/${randomUUID()}`, args: [{ uais: [UAI] }] });
        expect(scheduled.sent.map((s) => s.kind)).toEqual(['digest']);
        expect(received.filter((m) => m.to.includes('ce@fourviere.test'))).toHaveLength(1);
      });
    } finally {
      mailer.close();
      await connection.close();
    }
  }, 120_000);
});
