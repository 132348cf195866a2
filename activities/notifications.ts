// The notification sweep as an activity (notifications/sweep.ts does the work): the scheduled
// `notificationsSweep` workflow calls it. Without SMTP settings nothing is sent. Returns counts
// and keys only (no address, no pupil data in the workflow's history).
import type { MailSettings } from '../config/settings';
import type { Db } from '../db/client';
import { smtpMailer, type Mailer } from '../notifications/mailer';
import { sweepNotifications, type SweepRequest } from '../notifications/sweep';

export interface NotificationActivityDeps {
  db: Db;
  dataDir?: string;
  mail?: MailSettings;
  /** Tests pass their own; otherwise one SMTP transport per worker, made on first use. */
  mailer?: Mailer;
}

export interface NotificationSweepOutcome {
  enabled: boolean;
  sent: { kind: string; key: string }[];
  failed: number;
}

export function createNotificationActivities(deps: NotificationActivityDeps) {
  let mailer = deps.mailer;
  async function sendNotifications(request: SweepRequest): Promise<NotificationSweepOutcome> {
    if (!deps.mail) return { enabled: false, sent: [], failed: 0 };
    mailer ??= smtpMailer(deps.mail);
    const result = await sweepNotifications({ db: deps.db, ...(deps.dataDir && { dataDir: deps.dataDir }), mailer, mail: deps.mail }, request);
    return { enabled: true, sent: result.sent.map(({ kind, key }) => ({ kind, key })), failed: result.failed };
  }
  return { sendNotifications };
}
