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
  /** The address users type (behind the académie's proxy): its host is allowed, https makes cookies Secure. */
  SYNCHRO_WEB_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** More accepted Host headers (host or host:port, comma-separated), besides the listen address's. */
  SYNCHRO_WEB_ALLOWED_HOSTS: optionalString,
  /** 1: the address of a request is the last X-Forwarded-For hop (set only behind a proxy that writes it). */
  SYNCHRO_WEB_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  SYNCHRO_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  SYNCHRO_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(10),
  SYNCHRO_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  SYNCHRO_OIDC_CLIENT_ID: optionalString,
  SYNCHRO_OIDC_CLIENT_SECRET: optionalString,
  SYNCHRO_OIDC_REDIRECT_URL: z.url({ protocol: /^https?$/ }).optional(),
  SYNCHRO_OIDC_SCOPES: z.string().trim().min(1).default('openid profile email'),
  /** Claim values that make an académie admin, comma-separated CLAIM=VALUE (e.g. FrEduFonctAdm=DAFPIC). */
  SYNCHRO_OIDC_ADMIN_CLAIMS: optionalString,
  /** Subjects (OIDC `sub`) that are académie admins, comma-separated. */
  SYNCHRO_OIDC_ADMIN_SUBJECTS: optionalString,
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
  /** The workers' parsed files kept on disk (connectors/parsed-store.ts), in Mo; 0: none. */
  SYNCHRO_PARSED_CACHE_MB: z.coerce.number().int().min(0).max(1_000_000).default(2048),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** Where the identity provider sends the browser back: `<public URL>/connexion/retour` unless told. */
  redirectUrl: string;
  scopes: string;
  /** [claim, value] pairs: a user whose claim holds the value (string or in a list) is an académie admin. */
  adminClaims: [string, string][];
  adminSubjects: string[];
}

/** Who may sign in and how long they stay: sessions expire after idleMinutes unused, maxHours at most. */
export interface WebSecurity {
  publicUrl?: string;
  allowedHosts: string[];
  trustProxy: boolean;
  session: { idleMinutes: number; maxHours: number };
  /** Absent: the local sign-in (one-time links printed in the terminal), for the demo. */
  oidc?: OidcSettings;
}

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
  web: { host: string; port: number; token?: string; temporalUiUrl?: string } & Partial<WebSecurity>;
  codecKey?: string;
  /** Notifications by e-mail; undefined when no SMTP server is configured. */
  mail?: MailSettings;
  /** Bytes of parsed files a worker keeps under `<dataDir>/cache/parsed` (0: memory only). */
  parsedCacheBytes: number;
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
  const list = (value: string | undefined): string[] => (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
  const adminClaims = list(e.SYNCHRO_OIDC_ADMIN_CLAIMS).map((pair): [string, string] => {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new ConfigError(`Configuration invalide :\n  SYNCHRO_OIDC_ADMIN_CLAIMS : « ${pair} » n'est pas de la forme REVENDICATION=VALEUR (ex. FrEduFonctAdm=DAFPIC).`);
    return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
  });
  if (e.SYNCHRO_OIDC_ISSUER && !e.SYNCHRO_OIDC_CLIENT_ID) throw new ConfigError('Configuration invalide :\n  SYNCHRO_OIDC_CLIENT_ID : requis avec SYNCHRO_OIDC_ISSUER.');
  const redirectUrl = e.SYNCHRO_OIDC_REDIRECT_URL ?? (e.SYNCHRO_WEB_PUBLIC_URL ? `${e.SYNCHRO_WEB_PUBLIC_URL.replace(/\/+$/, '')}/connexion/retour` : undefined);
  if (e.SYNCHRO_OIDC_ISSUER && !redirectUrl) throw new ConfigError('Configuration invalide :\n  SYNCHRO_OIDC_REDIRECT_URL : requis avec SYNCHRO_OIDC_ISSUER (ou SYNCHRO_WEB_PUBLIC_URL).');
  const oidc: OidcSettings | undefined = e.SYNCHRO_OIDC_ISSUER
    ? { issuer: e.SYNCHRO_OIDC_ISSUER, clientId: e.SYNCHRO_OIDC_CLIENT_ID!, clientSecret: e.SYNCHRO_OIDC_CLIENT_SECRET, redirectUrl: redirectUrl!, scopes: e.SYNCHRO_OIDC_SCOPES, adminClaims, adminSubjects: list(e.SYNCHRO_OIDC_ADMIN_SUBJECTS) }
    : undefined;
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
    web: {
      host: e.SYNCHRO_WEB_HOST,
      port: e.SYNCHRO_WEB_PORT,
      token: e.SYNCHRO_WEB_TOKEN,
      temporalUiUrl: e.SYNCHRO_TEMPORAL_UI_URL?.replace(/\/+$/, ''),
      publicUrl: e.SYNCHRO_WEB_PUBLIC_URL?.replace(/\/+$/, ''),
      allowedHosts: list(e.SYNCHRO_WEB_ALLOWED_HOSTS),
      trustProxy: e.SYNCHRO_WEB_TRUST_PROXY === '1',
      session: { idleMinutes: e.SYNCHRO_SESSION_IDLE_MINUTES, maxHours: e.SYNCHRO_SESSION_MAX_HOURS },
      oidc,
    },
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
    parsedCacheBytes: e.SYNCHRO_PARSED_CACHE_MB * 1024 * 1024,
    logLevel: e.LOG_LEVEL,
  };
}
