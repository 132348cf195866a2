// What Postgres remembers: schools, every exchange file, every step run, every anomaly and every
// deposit. Step ids and statuses are plain text (typed on the TypeScript side) so that a new step
// needs no migration; levels and connector kinds are fixed by the domain and checked in SQL.
// Changing this file: `npm run db:generate -- --name <why>`, then commit db/migrations with it
// (test/db applies them on PGlite and PostgreSQL; migrate() applies them at start).
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { FileKind } from '../formats/types';
import type { AnomalyLevel, AnomalySubject } from '../rules/anomaly';
import type { Application, CalendarZone } from '../rules/calendar';
import type { StepId, StepStatus } from '../steps/vocabulary';

export type ConnectorKind = 'folder' | 'sandbox';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const schools = pgTable(
  'schools',
  {
    uai: text('uai').primaryKey(),
    name: text('name').notNull(),
    academie: text('academie').notNull(),
    calendarZone: text('calendar_zone').$type<CalendarZone>().notNull(),
    connectorKind: text('connector_kind').$type<ConnectorKind>().notNull().default('sandbox'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('schools_connector_kind_check', sql`${t.connectorKind} in ('folder', 'sandbox')`)],
);

/** Content-addressed: the sha256 is the identity, the bytes live in the store under storageKey. */
export const exchangeFiles = pgTable(
  'exchange_files',
  {
    sha256: text('sha256').primaryKey(),
    uai: text('uai').notNull(),
    kind: text('kind').$type<FileKind>().notNull(),
    millesime: integer('millesime').notNull(),
    originalName: text('original_name').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    storageKey: text('storage_key').notNull(),
  },
  (t) => [index('exchange_files_uai_idx').on(t.uai, t.millesime, t.kind)],
);

export const stepRuns = pgTable(
  'step_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    uai: text('uai').notNull(),
    millesime: integer('millesime').notNull(),
    step: text('step').$type<StepId>().notNull(),
    /** Term (LSU bilans) or other per-period step; null for yearly steps. */
    period: integer('period'),
    status: text('status').$type<StepStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(1),
    workflowId: text('workflow_id').notNull(),
    runId: text('run_id').notNull(),
    inputSha256: text('input_sha256'),
    /** uai|millesime|step|period|input sha256 (see stepRunKey): a retry finds its row again. */
    idempotencyKey: text('idempotency_key').notNull().unique('step_runs_idempotency_key_unique'),
    /** Business date of a nightly run (YYYY-MM-DD), never the wall clock of the worker. */
    night: date('night', { mode: 'string' }),
    rerunOf: bigint('rerun_of', { mode: 'number' }).references((): AnyPgColumn => stepRuns.id, { onDelete: 'set null' }),
    /** Manual steps (4a, 4b): who confirmed the action in the national application, and when (from the workflow's update). */
    confirmedBy: text('confirmed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: updatedAt(),
    infoCount: integer('info_count').notNull().default(0),
    warningCount: integer('warning_count').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    blockingCount: integer('blocking_count').notNull().default(0),
  },
  (t) => [
    index('step_runs_uai_idx').on(t.uai, t.millesime, t.step, t.id),
    index('step_runs_step_status_idx').on(t.step, t.status),
    index('step_runs_night_idx').on(t.night, t.status),
    index('step_runs_rerun_of_idx').on(t.rerunOf),
  ],
);

export const anomalies = pgTable(
  'anomalies',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    fileSha256: text('file_sha256').references(() => exchangeFiles.sha256, { onDelete: 'cascade' }),
    stepRunId: bigint('step_run_id', { mode: 'number' }).references(() => stepRuns.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    level: text('level').$type<AnomalyLevel>().notNull(),
    label: text('label'),
    message: text('message').notNull(),
    subject: jsonb('subject').$type<AnomalySubject>(),
    cause: text('cause'),
    correction: text('correction'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    check('anomalies_owner_check', sql`${t.fileSha256} is not null or ${t.stepRunId} is not null`),
    check('anomalies_level_check', sql`${t.level} in ('info', 'warning', 'error', 'blocking')`),
    index('anomalies_step_run_idx').on(t.stepRunId),
    index('anomalies_file_idx').on(t.fileSha256),
  ],
);

/** The unique key is the guarantee: a file is deposited once per school, millésime and step. */
export const deposits = pgTable(
  'deposits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    uai: text('uai').notNull(),
    millesime: integer('millesime').notNull(),
    step: text('step').$type<StepId>().notNull(),
    inputSha256: text('input_sha256').notNull(),
    targetApplication: text('target_application').$type<Application>().notNull(),
    depositedAt: timestamp('deposited_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('deposits_once_unique').on(t.uai, t.millesime, t.step, t.inputSha256)],
);

/**
 * Who did what, when, from where: sign-ins, uploads (file sha256 and name), confirmations, re-runs.
 * Append-only: nothing in the chain deletes or rewrites a row (a re-run is a new row).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** OIDC subject, a local demo login, or "jeton" (the bearer token). */
    actorSubject: text('actor_subject').notNull(),
    actorName: text('actor_name'),
    /** sign-in | sign-out | upload | confirm | rerun | … */
    action: text('action').notNull(),
    uai: text('uai'),
    /** Remote address as the server saw it (behind a proxy: the first X-Forwarded-For hop it trusts). */
    address: text('address'),
    /** Ids, names of files, sha256, step ids: never a pupil's data. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_uai_at_idx').on(t.uai, t.at), index('audit_log_at_idx').on(t.at)],
);

/** Who is told by e-mail about a school's steps (its staff's addresses), as `schools contacts` sets them. */
export const schoolContacts = pgTable(
  'school_contacts',
  {
    uai: text('uai').notNull().references(() => schools.uai, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('school_contacts_once_unique').on(t.uai, t.email)],
);

/**
 * Every notification mail, claimed by its key before it is sent (step-failed:<run>, night:<run>,
 * file-expected:<run>, digest:<académie>:<date>): a mail goes out once, whatever re-runs the sweep.
 */
export const notificationsSent = pgTable(
  'notifications_sent',
  {
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    uai: text('uai'),
    recipients: text('recipients').notNull(),
    subject: text('subject').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notifications_sent_uai_idx').on(t.uai, t.sentAt)],
);

export type School = typeof schools.$inferSelect;
export type NewSchool = typeof schools.$inferInsert;
export type ExchangeFile = typeof exchangeFiles.$inferSelect;
export type NewExchangeFile = typeof exchangeFiles.$inferInsert;
export type StepRun = typeof stepRuns.$inferSelect;
export type AnomalyRow = typeof anomalies.$inferSelect;
export type Deposit = typeof deposits.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;

/**
 * Signed-in browsers. The cookie carries a random session id; this table keeps only its sha256, so
 * a copy of the database signs nobody in. Rows expire (idle and absolute) and are deleted at sign-out.
 */
export const webSessions = pgTable(
  'web_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    kind: text('kind').$type<'admin' | 'staff'>().notNull(),
    subject: text('subject').notNull(),
    name: text('name'),
    /** UAIs of the registered schools the user works in or is responsible for; null for admins. */
    schools: jsonb('schools').$type<string[] | null>(),
    /** The synchronizer token every form of this session sends back. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('web_sessions_expires_at_idx').on(t.expiresAt)],
);
export type WebSession = typeof webSessions.$inferSelect;
export type SchoolContact = typeof schoolContacts.$inferSelect;
export type NotificationSent = typeof notificationsSent.$inferSelect;
