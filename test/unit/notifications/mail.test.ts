// Notifications against a real SMTP server started here (smtp-server on 127.0.0.1, free port):
// a real failed step (another school's sts_emp), a real élève-groupe deposit processed by SIECLE's
// night (the folder connector's own night, with a pupil unknown to SIECLE whose name is in the
// REJELEGROUPE_01 message), a step waiting for its file. The mails are read back: the failure, the
// morning after (the compte-rendu's counts), the file expected for N days, the admins' digest —
// each sent once, and none carries a pupil's name.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities';
import type { NightOutcome } from '../../../activities/night';
import type { StepRunResult } from '../../../activities/step-run';
import { createNotificationActivities } from '../../../activities/notifications';
import { registerSchool } from '../../../client/actions/register-schools';
import { currentMillesime } from '../../../client/web/portal/school-year';
import type { MailSettings } from '../../../config/settings';
import { SchoolFolders } from '../../../connectors/school-folders';
import { migrate, openDb, type OpenedDb } from '../../../db/client';
import { listAnomaliesByRun } from '../../../db/queries/anomalies';
import { addContact, listNotifications } from '../../../db/queries/notifications';
import { listStepRuns } from '../../../db/queries/step-runs';
import { generateSchool, writeSchoolFolder, type GeneratedSchool } from '../../../generators';
import { smtpMailer, type Mailer } from '../../../notifications/mailer';
import { localDate, timeZoneOf } from '../../../rules/time-zones';
import { createWorkerDependencies } from '../../../worker/dependencies';
import { startSmtpInbox, type SmtpInbox } from '../../support/smtp-inbox';

const UAI = '0382032C';
const OTHER = '0750680G';

interface Received {
  to: string[];
  subject: string;
  text: string;
}

function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

/** Enough of RFC 5322 for our plain-text, base64 mails. */
function parse(raw: string, to: string[]): Received {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const subject = decodeWords(/^Subject: (.*)$/im.exec(headers)?.[1] ?? '');
  const body = raw.slice(split + 4);
  const text = /^Content-Transfer-Encoding: base64/im.test(headers) ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { to, subject, text };
}

let opened: OpenedDb;
let root: string;
let dataDir: string;
let smtp: SmtpInbox | undefined;
let port: number;
const inbox: Received[] = [];
let school: GeneratedSchool;
let millesime: number;
let today: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'synchro-mail-'));
  dataDir = path.join(root, 'data');
  opened = await openDb({ inMemory: true });
  await migrate(opened.db);
  await registerSchool(opened.db, dataDir, { uai: UAI, name: 'Collège Les Buclos', academie: 'Grenoble', connector: 'folder' });
  await addContact(opened.db, UAI, 'secretariat@college-buclos.test');
  smtp = await startSmtpInbox((mail) => inbox.push(parse(mail.raw, mail.to)));
  port = smtp.port;

  // The school's files: its SIECLE exports and élève-groupe zip (a pupil unknown to SIECLE, a group
  // unknown to SIECLE), and another school's sts_emp in its STS inbox.
  today = localDate(new Date(), timeZoneOf(UAI));
  millesime = currentMillesime(UAI, today);
  school = generateSchool({ seed: 41, kind: 'college', millesime, uai: UAI, pupils: 50, faults: [{ kind: 'pupil-not-enrolled' }, { kind: 'unknown-group' }] });
  const other = generateSchool({ seed: 42, kind: 'college', millesime, uai: OTHER, pupils: 20 });
  const folders = new SchoolFolders(dataDir, UAI);
  for (const f of await writeSchoolFolder(school.model, path.join(root, 'files'))) {
    const from = path.join(root, 'files', f.path);
    if (f.role === 'siecle-export') await folders.copy('siecle', 'inbox', path.basename(f.path), from);
    if (f.role === 'elegroupe') await folders.copy('pronote', 'inbox', path.basename(f.path), from);
  }
  for (const f of await writeSchoolFolder(other.model, path.join(root, 'other'))) {
    if (f.role === 'sts-emp') await folders.copy('sts', 'inbox', path.basename(f.path), path.join(root, 'other', f.path));
  }

  // The real activities, as the worker runs them.
  const activities = createActivities(createWorkerDependencies({ dataDir }, opened.db));
  const env = new MockActivityEnvironment();
  const step = (s: 'sts-edt' | 'edt-sts' | 'pronote-siecle-elegroupe'): Promise<StepRunResult> =>
    env.run<Parameters<typeof activities.executeStep>, StepRunResult, typeof activities.executeStep>(activities.executeStep, { uai: UAI, millesime, step: s, businessDate: today, workflowId: `school-year/${UAI}/${millesime}/${s}`, runId: s });
  await expect(step('sts-edt')).rejects.toThrow(/STS-Web → EDT refusé/);
  expect((await step('pronote-siecle-elegroupe')).progress).toBe('queued-for-night');
  expect((await step('edt-sts')).progress).toBe('waiting-file');
  const night = await env.run<Parameters<typeof activities.processNight>, NightOutcome, typeof activities.processNight>(activities.processNight, { uai: UAI, millesime, night: today, workflowId: 'nightly-elegroupe/test', runId: 'n1' });
  expect(night.processed).toBe(true);
}, 120_000);

afterAll(async () => {
  await smtp?.close();
  await opened?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

function mailSettings(): MailSettings {
  return { smtp: { host: '127.0.0.1', port, secure: false }, from: 'synchro-eple <synchro@ac-test.fr>', admins: ['dane@ac-grenoble.test'], fileExpectedDays: 7, digestHour: 0, publicUrl: 'https://synchro.ac-test.fr' };
}

async function sweep(mailer: Mailer, at: Date) {
  return createNotificationActivities({ db: opened.db, dataDir, mail: mailSettings(), mailer }).sendNotifications({ at: at.toISOString() });
}

/** Every spelling of every pupil's name the files carry (the SIECLE base and the élève-groupe file). */
function pupilNames(): string[] {
  const names = new Set<string>();
  for (const p of [...school.model.pupils, ...school.model.eleGroupe.pupils]) for (const n of [p.lastName, p.firstName]) if (n.length >= 3) names.add(n.toLowerCase());
  return [...names];
}

describe('notifications by e-mail', () => {
  it('mails the failure and the morning after to the school, the digest to the admins, once each, with counts and codes only', async () => {
    const mailer = smtpMailer(mailSettings());
    try {
      const first = await sweep(mailer, new Date());
      expect(first.enabled).toBe(true);
      expect(first.sent.map((s) => s.kind).sort()).toEqual(['digest', 'night-report', 'step-failed']);

      const runs = await listStepRuns(opened.db, { uai: UAI });
      const failed = runs.find((r) => r.step === 'sts-edt')!;
      const night = runs.find((r) => r.step === 'pronote-siecle-elegroupe')!;
      expect(failed.status).toBe('failed');

      const failure = inbox.find((m) => m.subject.includes('STS → EDT'))!;
      expect(failure.to).toEqual(['secretariat@college-buclos.test']);
      expect(failure.subject).toBe(`[synchro-eple] ${UAI} : étape « STS → EDT » en échec`);
      expect(failure.text).toContain(`exécution n° ${failed.id}`);
      expect(failure.text).toMatch(/UAI_DIFFERENT\s+Bloquant\s+1/);
      expect(failure.text).toContain(`https://synchro.ac-test.fr/runs/${failed.id}`);

      // The morning after: the compte-rendu's counts, as the night wrote them.
      const morning = inbox.find((m) => m.subject.includes('traitement de nuit'))!;
      expect(morning.to).toEqual(['secretariat@college-buclos.test']);
      const reports = await readdir(path.join(dataDir, 'schools', UAI, 'siecle', 'reports'));
      const report = JSON.parse(await readFile(path.join(dataDir, 'schools', UAI, 'siecle', 'reports', reports.find((n) => n.startsWith('compte-rendu-'))!), 'utf8')) as { counts: Record<string, number> };
      expect(report.counts.rejected).toBeGreaterThan(0);
      expect(morning.text).toContain(`Élèves lus : ${report.counts.read}`);
      expect(morning.text).toContain(`importés (REINIT_ELGRP) : ${report.counts.imported}`);
      expect(morning.text).toContain(`partiellement importés (PAR) : ${report.counts.partial}`);
      expect(morning.text).toContain(`rejetés (REJ_ELGRP) : ${report.counts.rejected}`);
      expect(morning.text).toContain(`absents du fichier (ABS) : ${report.counts.absent}`);
      expect(morning.text).toMatch(/REJELEGROUPE_01\s+Erreur\s+1/);
      expect(morning.text).toMatch(/GROUPE_A_01\s+\S+\s+\d+/);
      expect(morning.text).toContain(`https://synchro.ac-test.fr/runs/${night.id}`);

      const digest = inbox.find((m) => m.to.includes('dane@ac-grenoble.test'))!;
      expect(digest.subject).toContain('Grenoble : synthèse quotidienne');
      expect(digest.text).toContain(`${UAI} Collège Les Buclos — STS → EDT (n° ${failed.id}) : UAI_DIFFERENT × 1`);

      // The names are in the database (REJELEGROUPE_01 names the pupil), never in a mail.
      const stored = (await listAnomaliesByRun(opened.db, night.id)).map((a) => a.message.toLowerCase()).join('\n');
      const names = pupilNames();
      expect(names.some((n) => stored.includes(n))).toBe(true);
      for (const mail of inbox) for (const n of names) expect(`${mail.subject}\n${mail.text}`.toLowerCase(), `${n} in « ${mail.subject} »`).not.toContain(n);

      // Once: the same sweep again sends nothing.
      const count = inbox.length;
      expect((await sweep(mailer, new Date())).sent).toEqual([]);
      expect(inbox.length).toBe(count);
      expect((await listNotifications(opened.db, UAI)).map((n) => n.kind).sort()).toEqual(['night-report', 'step-failed']);
    } finally {
      mailer.close();
    }
  });

  it('tells the school when a file has been expected for N days', async () => {
    const mailer = smtpMailer(mailSettings());
    try {
      const before = inbox.length;
      expect((await sweep(mailer, new Date(Date.now() + 6 * 24 * 3600_000))).sent.filter((s) => s.kind === 'file-expected')).toEqual([]);
      const later = await sweep(mailer, new Date(Date.now() + 8 * 24 * 3600_000));
      expect(later.sent.map((s) => s.kind)).toContain('file-expected');
      const expected = inbox.slice(before).find((m) => m.subject.includes('fichier attendu'))!;
      expect(expected.subject).toBe(`[synchro-eple] ${UAI} : fichier attendu depuis 8 jours (« EDT → STS »)`);
      expect(expected.to).toEqual(['secretariat@college-buclos.test']);
      expect(expected.text).toContain(`https://synchro.ac-test.fr/etablissement/${UAI}`);
    } finally {
      mailer.close();
    }
  });
});
