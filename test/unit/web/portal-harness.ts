// The schools' portal over a real in-memory PGlite and a real data dir: two registered schools
// (folders created as `schools add` does), generated exports for each, and the dashboard app as
// the product builds it, signed in through its real sign-in: the demo's one-time link of a school's
// staff (or of the académie admin), confirmed by POST, whose session cookie and CSRF token (read
// from the page, as the browser does) every later request carries, with this site's Origin.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect } from 'vitest';
import { registerSchool } from '../../../client/actions/register-schools';
import { createWebApp, type WebApp } from '../../../client/web/app';
import { localAccounts } from '../../../client/web/auth/local-signin';
import { currentMillesime } from '../../../client/web/portal/school-year';
import { migrate, openDb, type Db, type OpenedDb } from '../../../db/client';
import { listSchools } from '../../../db/queries/schools';
import type { FaultSpec } from '../../../generators/faults';
import { localDate, timeZoneOf } from '../../../rules/time-zones';
import { writeGeneratedFiles, type GeneratedFiles } from '../../support/generated-files';

export type { GeneratedFiles } from '../../support/generated-files';

/** The Origin of `app.request()`'s requests (http://localhost/…): this site's. */
export const ORIGIN = 'http://localhost';
export const PARIS = '0750680G';
export const GRENOBLE = '0382032C';

/** Who signs in: the staff of one school (its UAI), the académie admin ('admin'), or nobody ('anonymous'). */
export type Who = string;

/** A browser's session on the app: its cookie and CSRF token go with every request. */
export interface SignedIn {
  app: WebApp;
  /** The session's synchronizer token (as the page gives it to its script); '' when anonymous. */
  csrf: string;
  request(path: string, init?: RequestInit): Promise<Response>;
}

export interface PortalHarness {
  db: Db;
  dataDir: string;
  millesime: number;
  /** A new app over the harness's database and data dir, as `synchro web` builds it. */
  webApp(options?: { temporal?: Client; listening?: { port: number; url?: string }; trustProxy?: boolean }): WebApp;
  /** Signed in (lazily, at the first request) through the demo's one-time link of `who`. */
  app(who: Who, options?: { temporal?: Client }): SignedIn;
  generate(uai: string, options?: { seed?: number; millesime?: number; faults?: FaultSpec[] }): Promise<GeneratedFiles>;
}

/** The demo's one-time link of `who` (`local:<UAI>` or `local:admin`), issued by the app itself. */
export async function signInLink(db: Db, app: WebApp, who: Who): Promise<string> {
  const subject = `local:${who}`;
  const account = localAccounts(await listSchools(db)).find((a) => a.subject === subject);
  if (!account) throw new Error(`no demo account ${subject}`);
  return app.localSignIn!.issue([account])[0]!.path;
}

export function usePortal(): PortalHarness {
  let opened: OpenedDb;
  let root: string;
  const harness = {} as PortalHarness;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'synchro-portal-'));
    harness.dataDir = path.join(root, 'data');
    opened = await openDb({ inMemory: true });
    await migrate(opened.db);
    harness.db = opened.db;
    await registerSchool(opened.db, harness.dataDir, { uai: PARIS, name: 'Lycée Charlemagne', academie: 'Paris', connector: 'folder' });
    await registerSchool(opened.db, harness.dataDir, { uai: GRENOBLE, name: 'Collège Les Buclos', academie: 'Grenoble', connector: 'folder' });
    harness.millesime = currentMillesime(PARIS, localDate(new Date(), timeZoneOf(PARIS)));
  });
  afterAll(async () => {
    await opened?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });
  harness.webApp = (options = {}) => createWebApp({
    db: harness.db, dataDir: harness.dataDir, ...(options.listening && { listening: options.listening }),
    ...(options.temporal && { temporal: { client: options.temporal, taskQueue: 'unused' } }),
    settings: { web: { host: '127.0.0.1', port: 0, ...(options.trustProxy !== undefined && { trustProxy: options.trustProxy }) }, temporal: { namespace: 'default' } },
    onError: (error) => { throw error; },
  });
  harness.app = (who, options = {}) => {
    const app = harness.webApp(options);
    let session: Promise<{ cookie?: string }> | undefined;
    const signedIn: SignedIn = {
      app,
      csrf: '',
      request: async (path, init = {}) => {
        session ??= signIn();
        const { cookie } = await session;
        const headers = new Headers(init.headers);
        if (cookie) headers.set('cookie', cookie);
        if (!headers.has('origin') && init.method && init.method !== 'GET') headers.set('origin', ORIGIN);
        return app.request(path, { ...init, headers });
      },
    };
    async function signIn(): Promise<{ cookie?: string }> {
      if (who === 'anonymous') return {};
      const link = await signInLink(harness.db, app, who);
      const response = await app.request(link, { method: 'POST', headers: { origin: ORIGIN } });
      expect(response.status).toBe(303);
      const cookie = `synchro_session=${/synchro_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!}`;
      // The token as the browser gets it: in the page (the sign-out form every page carries).
      const page = await (await app.request('/', { headers: { cookie } })).text();
      signedIn.csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
      return { cookie };
    }
    return signedIn;
  };
  let count = 0;
  harness.generate = (uai, options = {}) =>
    writeGeneratedFiles(path.join(root, `files-${uai}-${(count += 1)}`), uai, { ...options, millesime: options.millesime ?? harness.millesime });
  return harness;
}

/** The session's CSRF token (signing in first if need be). */
export async function csrfOf(session: SignedIn): Promise<string> {
  if (!session.csrf) await session.request('/');
  return session.csrf;
}

/** One upload as the page's script sends it: PUT, raw body, name in the query, CSRF header. */
export async function upload(session: SignedIn, uai: string, file: string, options: { step?: string; csrf?: string | null; json?: boolean; millesime?: number } = {}): Promise<Response> {
  const name = path.basename(file);
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (options.csrf !== null) headers['x-csrf-token'] = options.csrf ?? (await csrfOf(session));
  if (options.json) headers.accept = 'application/json';
  const query = `?nom=${encodeURIComponent(name)}${options.step ? `&etape=${options.step}` : ''}${options.millesime ? `&millesime=${options.millesime}` : ''}`;
  return session.request(`/etablissement/${uai}/depot${query}`, { method: 'PUT', headers, body: await readFile(file) });
}
