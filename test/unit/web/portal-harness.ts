// The schools' portal over a real in-memory PGlite and a real data dir: two registered schools
// (folders created as `schools add` does), generated exports for each, and the dashboard app
// behind a test-only middleware that sets the viewer and the CSRF token (d1's sign-in middleware
// does this in the product).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import { afterAll, beforeAll } from 'vitest';
import { registerSchool } from '../../../client/actions/register-schools';
import { createWebApp } from '../../../client/web/app';
import { currentMillesime } from '../../../client/web/portal/school-year';
import type { Viewer } from '../../../client/web/viewer';
import { migrate, openDb, type Db, type OpenedDb } from '../../../db/client';
import { generateSchool, writeSchoolFolder, type GeneratedSchool } from '../../../generators';
import type { FaultSpec } from '../../../generators/faults';
import type { SchoolFileRole } from '../../../generators/folder';
import { localDate, timeZoneOf } from '../../../rules/time-zones';

export const CSRF = 'test-csrf-token';
export const PARIS = '0750680G';
export const GRENOBLE = '0382032C';

export interface GeneratedFiles {
  school: GeneratedSchool;
  /** First written file of each role (siecle-export: all of them). */
  byRole: Partial<Record<SchoolFileRole, string>>;
  siecleExports: string[];
}

export interface PortalHarness {
  db: Db;
  dataDir: string;
  millesime: number;
  app(viewer: Viewer | undefined, options?: { temporal?: Client; csrf?: string }): Hono;
  generate(uai: string, options?: { seed?: number; millesime?: number; faults?: FaultSpec[] }): Promise<GeneratedFiles>;
}

export const staffOf = (...uais: string[]): Viewer => ({ kind: 'staff', subject: `agent-${uais.join('-')}`, name: 'Agent de test', schools: new Set(uais) });

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
  harness.app = (viewer, options = {}) => {
    const outer = new Hono();
    outer.use('*', async (c, next) => {
      if (viewer) c.set('viewer' as never, viewer as never);
      c.set('csrfToken' as never, (options.csrf ?? CSRF) as never);
      await next();
    });
    outer.route('/', createWebApp({
      db: harness.db, dataDir: harness.dataDir,
      ...(options.temporal && { temporal: { client: options.temporal, taskQueue: 'unused' } }),
      settings: { web: { host: '127.0.0.1', port: 0 }, temporal: { namespace: 'default' } },
      onError: (error) => { throw error; },
    }));
    return outer;
  };
  let count = 0;
  harness.generate = async (uai, options = {}) => {
    const school = generateSchool({ seed: options.seed ?? 7, kind: 'college', millesime: options.millesime ?? harness.millesime, uai, pupils: 60, faults: options.faults ?? [] });
    const dir = path.join(root, `files-${uai}-${(count += 1)}`);
    const byRole: GeneratedFiles['byRole'] = {};
    const siecleExports: string[] = [];
    for (const f of await writeSchoolFolder(school.model, dir)) {
      byRole[f.role] ??= path.join(dir, f.path);
      if (f.role === 'siecle-export') siecleExports.push(path.join(dir, f.path));
    }
    return { school, byRole, siecleExports };
  };
  return harness;
}

/** One upload as the page's script sends it: PUT, raw body, name in the query, CSRF header. */
export async function upload(app: Hono, uai: string, file: string, options: { step?: string; csrf?: string | null; json?: boolean; millesime?: number } = {}): Promise<Response> {
  const name = path.basename(file);
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (options.csrf !== null) headers['x-csrf-token'] = options.csrf ?? CSRF;
  if (options.json) headers.accept = 'application/json';
  const query = `?nom=${encodeURIComponent(name)}${options.step ? `&etape=${options.step}` : ''}${options.millesime ? `&millesime=${options.millesime}` : ''}`;
  return app.request(`/etablissement/${uai}/depot${query}`, { method: 'PUT', headers, body: await readFile(file) });
}
