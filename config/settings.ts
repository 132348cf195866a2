// The one configuration module. Everything comes from the environment, validated at start; no
// variable set means the embedded default: a local Temporal dev server, PGlite and ./data.
import path from 'node:path';
import { z } from 'zod';

const optionalString = z.string().trim().min(1).optional();

const schema = z.object({
  SYNCHRO_DATA_DIR: z.string().default('data'),
  DATABASE_URL: optionalString,
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('synchro-eple'),
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_CLI_PATH: optionalString,
  /** Port of the embedded dev server (frontend); the Web UI takes the next one when enabled. */
  SYNCHRO_TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  SYNCHRO_TEMPORAL_UI: z.enum(['0', '1']).default('0'),
  SYNCHRO_WEB_HOST: z.string().default('127.0.0.1'),
  SYNCHRO_WEB_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  SYNCHRO_WEB_TOKEN: optionalString,
  /** The Temporal Web UI the dashboard links each run to (e.g. http://127.0.0.1:8233). */
  SYNCHRO_TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).optional(),
  SYNCHRO_CODEC_KEY: optionalString,
  /** SMTP server for notifications; unset: no mail is sent. */
  SYNCHRO_SMTP_HOST: optionalString,
  SYNCHRO_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** 1: TLS from the start (port 465); 0: STARTTLS when the server offers it. */
  SYNCHRO_SMTP_SECURE: z.enum(['0', '1']).default('0'),
  SYNCHRO_SMTP_USER: optionalString,
  SYNCHRO_SMTP_PASSWORD: optionalString,
  SYNCHRO_MAIL_FROM: z.string().trim().min(3).default('synchro-eple <synchro-eple@localhost>'),
  /** Académie admins who get the daily digest: addresses separated by commas. */
  SYNCHRO_ADMIN_EMAILS: z.string().default(''),
  /** A file expected for this many days: its school's contacts are told. */
  SYNCHRO_FILE_EXPECTED_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Local hour (0-23, the académie's time zone) from which the admins' daily digest is sent. */
  SYNCHRO_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  /** The portal's public address, for the links in the mails (e.g. https://synchro.ac-exemple.fr). */
  SYNCHRO_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Settings {
  dataDir: string;
  /** postgres-js when set; PGlite under dataDir otherwise. */
  databaseUrl?: string;
  temporal: {
    /** Undefined: start the embedded dev server. */
    address?: string;
    namespace: string;
    taskQueue: string;
    apiKey?: string;
    tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
    cliPath?: string;
    embeddedPort: number;
    embeddedUi: boolean;
  };
  /** token: required by the dashboard's actions (read-only without it). temporalUiUrl: links to runs. */
  web: { host: string; port: number; token?: string; temporalUiUrl?: string };
  codecKey?: string;
  /** Notifications by e-mail; undefined when no SMTP server is configured. */
  mail?: MailSettings;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
}

export interface MailSettings {
  smtp: { host: string; port: number; secure: boolean; user?: string; password?: string };
  from: string;
  admins: string[];
  fileExpectedDays: number;
  digestHour: number;
  /** Base of the links in the mails (no trailing slash); undefined: links are relative paths. */
  publicUrl?: string;
}

export class ConfigError extends Error {}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')} : ${i.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const tlsGiven = e.TEMPORAL_TLS_CERT_PATH ?? e.TEMPORAL_TLS_KEY_PATH ?? e.TEMPORAL_TLS_CA_PATH ?? e.TEMPORAL_TLS_SERVER_NAME;
  return {
    dataDir: path.resolve(e.SYNCHRO_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: tlsGiven
        ? { certPath: e.TEMPORAL_TLS_CERT_PATH, keyPath: e.TEMPORAL_TLS_KEY_PATH, caPath: e.TEMPORAL_TLS_CA_PATH, serverName: e.TEMPORAL_TLS_SERVER_NAME }
        : undefined,
      cliPath: e.TEMPORAL_CLI_PATH,
      embeddedPort: e.SYNCHRO_TEMPORAL_PORT,
      embeddedUi: e.SYNCHRO_TEMPORAL_UI === '1',
    },
    web: { host: e.SYNCHRO_WEB_HOST, port: e.SYNCHRO_WEB_PORT, token: e.SYNCHRO_WEB_TOKEN, temporalUiUrl: e.SYNCHRO_TEMPORAL_UI_URL?.replace(/\/+$/, '') },
    codecKey: e.SYNCHRO_CODEC_KEY,
    mail: e.SYNCHRO_SMTP_HOST
      ? {
          smtp: { host: e.SYNCHRO_SMTP_HOST, port: e.SYNCHRO_SMTP_PORT, secure: e.SYNCHRO_SMTP_SECURE === '1', user: e.SYNCHRO_SMTP_USER, password: e.SYNCHRO_SMTP_PASSWORD },
          from: e.SYNCHRO_MAIL_FROM,
          admins: e.SYNCHRO_ADMIN_EMAILS.split(',').map((a) => a.trim()).filter((a) => a !== ''),
          fileExpectedDays: e.SYNCHRO_FILE_EXPECTED_DAYS,
          digestHour: e.SYNCHRO_DIGEST_HOUR,
          publicUrl: e.SYNCHRO_PUBLIC_URL?.replace(/\/+$/, ''),
        }
      : undefined,
    logLevel: e.LOG_LEVEL,
  };
}
