// What is due to be told, and telling it once. Run by the `notificationsSweep` workflow every
// few minutes (and at will): it reads the ledger, never the workflows, so a mail is owed by a
// run's row whatever process ended it, and every mail is claimed by its key before it goes out
// (db/queries/notifications.ts), so a sweep run twice, or two sweeps at once, send it once.
//   - a failed step: to the school's contacts (step-failed:<run>)
//   - a file expected for N days: to the school's contacts (file-expected:<run>)
//   - an élève-groupe run finished by SIECLE's night: the compte-rendu's counts (night:<run>)
//   - the daily digest of each académie, from digestHour local time: to the admins (digest:<académie>:<date>)
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { and, gte, inArray } from 'drizzle-orm';
import type { MailSettings } from '../config/settings';
import type { NightReport } from '../connectors/night';
import type { Db } from '../db/client';
import { anomalyCodeCounts, claimNotification, listContacts, releaseNotification } from '../db/queries/notifications';
import { listSchools } from '../db/queries/schools';
import { listLatestStepRuns } from '../db/queries/step-runs';
import { stepRuns, type School, type StepRun } from '../db/schema';
import { localDate, timeZoneOf } from '../rules/time-zones';
import { digestMail, fileExpectedMail, nightReportMail, stepFailedMail, type DigestRow, type Mail, type NightCounts, type RunSummary } from './compose';
import type { Mailer } from './mailer';

export interface SweepDeps {
  db: Db;
  /** Where the night's compte-rendu JSON is (schools/<UAI>/siecle/reports); without it, no counts. */
  dataDir?: string;
  mailer: Mailer;
  mail: Pick<MailSettings, 'admins' | 'fileExpectedDays' | 'digestHour' | 'publicUrl'>;
}

export interface SweepRequest {
  /** The instant the sweep stands at (ISO): the schedule's time, never the worker's clock. */
  at: string;
  /** Only these schools (an académie's); all otherwise. */
  uais?: string[];
  /**
   * false: the schools' mails only, no admins' digest. The sweep a failure starts at once (for its
   * one school) must not send — and so claim for the day — a digest of that school alone.
   */
  digest?: boolean;
}

export interface SweepResult {
  sent: { kind: string; key: string; uai?: string; recipients: number }[];
  failed: number;
}

/** Runs changed within this window are looked at (a file may be expected for weeks). */
const LOOKBACK_DAYS = 40;
/** A failure or a night older than this when first seen (a new installation, mail just configured) is not told. */
const NEWS_DAYS = 3;
const DAY = 24 * 60 * 60 * 1000;

async function nightCounts(dataDir: string | undefined, run: StepRun): Promise<{ night?: string; counts?: NightCounts }> {
  if (!dataDir) return {};
  const dir = join(dataDir, 'schools', run.uai, 'siecle', 'reports');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^compte-rendu-.*\.json$/.test(n));
  const reports: NightReport[] = [];
  for (const name of names) {
    try {
      reports.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as NightReport);
    } catch {
      // A half-written or foreign file: the mail says the counts are not available.
    }
  }
  const report = reports.find((r) => run.inputSha256 && r.sha256 === run.inputSha256) ?? reports.sort((a, b) => b.night.localeCompare(a.night))[0];
  return report ? { night: report.night, counts: report.counts } : {};
}

export async function sweepNotifications(deps: SweepDeps, request: SweepRequest): Promise<SweepResult> {
  const { db, mailer, mail } = deps;
  const at = new Date(request.at);
  const result: SweepResult = { sent: [], failed: 0 };
  const schools = new Map<string, School>((await listSchools(db)).filter((s) => !request.uais || request.uais.includes(s.uai)).map((s) => [s.uai, s]));
  const uais = [...schools.keys()];
  if (uais.length === 0) return result;

  async function deliver(key: string, kind: string, uai: string | undefined, to: readonly string[], compose: () => Promise<Mail>): Promise<void> {
    if (to.length === 0) return;
    const message = await compose();
    if (!(await claimNotification(db, { key, kind, ...(uai && { uai }), recipients: to, subject: message.subject }))) return;
    try {
      await mailer.send({ to, ...message });
      result.sent.push({ kind, key, ...(uai && { uai }), recipients: to.length });
    } catch {
      // The SMTP server refused or was unreachable: the claim is given back, the next sweep tries again.
      await releaseNotification(db, key);
      result.failed += 1;
    }
  }

  const summary = async (run: StepRun): Promise<RunSummary> => ({
    id: run.id, uai: run.uai, schoolName: schools.get(run.uai)?.name ?? '', millesime: run.millesime, step: run.step, status: run.status, period: run.period,
    counts: { info: run.infoCount, warning: run.warningCount, error: run.errorCount, blocking: run.blockingCount },
    codes: await anomalyCodeCounts(db, run.id),
  });

  const recent = await db.select().from(stepRuns).where(and(inArray(stepRuns.uai, uais), gte(stepRuns.updatedAt, new Date(at.getTime() - LOOKBACK_DAYS * DAY))));
  const contacts = new Map<string, string[]>();
  const contactsOf = async (uai: string): Promise<string[]> => {
    if (!contacts.has(uai)) contacts.set(uai, await listContacts(db, uai));
    return contacts.get(uai)!;
  };
  const isNews = (run: StepRun): boolean => run.finishedAt !== null && at.getTime() - run.finishedAt.getTime() <= NEWS_DAYS * DAY;
  for (const run of recent.sort((a, b) => a.id - b.id)) {
    if (run.status === 'failed' && isNews(run)) {
      await deliver(`step-failed:${run.id}`, 'step-failed', run.uai, await contactsOf(run.uai), async () => stepFailedMail(await summary(run), mail.publicUrl));
    } else if (run.status === 'waiting-file' && at.getTime() - run.startedAt.getTime() >= mail.fileExpectedDays * DAY) {
      const days = Math.floor((at.getTime() - run.startedAt.getTime()) / DAY);
      await deliver(`file-expected:${run.id}`, 'file-expected', run.uai, await contactsOf(run.uai), async () => fileExpectedMail(await summary(run), days, undefined, mail.publicUrl));
    } else if (run.step === 'pronote-siecle-elegroupe' && (run.status === 'succeeded' || run.status === 'succeeded-with-anomalies') && isNews(run)) {
      await deliver(`night:${run.id}`, 'night-report', run.uai, await contactsOf(run.uai), async () => {
        const { night, counts } = await nightCounts(deps.dataDir, run);
        return nightReportMail(await summary(run), night ?? run.night ?? undefined, counts, mail.publicUrl);
      });
    }
  }

  // The admins' digest: one per académie and local day, from digestHour.
  const latest = await listLatestStepRuns(db);
  const byAcademie = new Map<string, School[]>();
  for (const s of schools.values()) byAcademie.set(s.academie, [...(byAcademie.get(s.academie) ?? []), s]);
  for (const [academie, members] of request.digest === false ? [] : byAcademie) {
    const zone = timeZoneOf(members[0]!.uai);
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(at));
    if (hour < mail.digestHour) continue;
    const date = localDate(at, zone);
    await deliver(`digest:${academie}:${date}`, 'digest', undefined, mail.admins, async () => {
      const rows: DigestRow[] = [];
      for (const school of members) {
        const runs = latest.filter((r) => r.uai === school.uai);
        const newest = runs.length > 0 ? Math.max(...runs.map((r) => r.millesime)) : undefined;
        const current = runs.filter((r) => r.millesime === newest);
        const failed = [];
        for (const r of current.filter((x) => x.status === 'failed')) failed.push({ step: r.step, runId: r.id, codes: (await anomalyCodeCounts(db, r.id)).map((c) => `${c.code} × ${c.count}`) });
        rows.push({
          uai: school.uai, name: school.name, failed,
          waitingFile: current.filter((r) => r.status === 'waiting-file').map((r) => r.step),
          waitingPerson: current.filter((r) => r.status === 'waiting-person').map((r) => r.step),
        });
      }
      return digestMail(academie, date, rows, mail.publicUrl);
    });
  }
  return result;
}
