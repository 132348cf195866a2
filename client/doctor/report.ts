// `synchro doctor`: is every component this installation needs reachable? Used by the command and
// printed by `npm start` once everything is up.
import { access, constants, mkdir } from 'node:fs/promises';
import type { Settings } from '../../config/settings';
import path from 'node:path';
import { migrationsStatus, type OpenedDb } from '../../db/client';
import { pgliteHolder } from '../../db/pglite-lock';
import { openDatabase } from '../../db/open';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { connectTemporal, type TemporalHandle } from '../temporal/connection';
import { connectIfListening, probeTemporal } from '../temporal/probe';

export interface DoctorReport {
  ok: boolean;
  temporal: {
    reachable: boolean;
    /** cluster: TEMPORAL_ADDRESS; embedded: started by this process; embedded-running: by another (`synchro start`). */
    mode: 'cluster' | 'embedded' | 'embedded-running';
    address?: string;
    namespace: string;
    serverVersion?: string;
    cliPath?: string;
    missingSearchAttributes: string[];
    error?: string;
  };
  database: {
    reachable: boolean;
    driver: 'pglite' | 'postgres';
    location: string;
    migrations?: { applied: number; available: number };
    /** PGlite folder held by another synchro process (a running `synchro start`), which migrated it. */
    heldByPid?: number;
    error?: string;
  };
  dataDir: { path: string; writable: boolean; error?: string };
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function checkTemporal(settings: Settings, running?: TemporalHandle): Promise<DoctorReport['temporal']> {
  const namespace = settings.temporal.namespace;
  const mode = settings.temporal.address ? 'cluster' : 'embedded';
  const base = { namespace, missingSearchAttributes: [] as string[] };
  let handle = running;
  let ownConnection;
  try {
    if (!handle && !settings.temporal.address) {
      ownConnection = await connectIfListening(`127.0.0.1:${settings.temporal.embeddedPort}`);
    }
    const connection = handle?.connection ?? ownConnection ?? (handle = await connectTemporal(settings)).connection;
    const probe = await probeTemporal(connection, namespace);
    const wanted = SEARCH_ATTRIBUTES.map((k) => k.name);
    return {
      ...base,
      reachable: true,
      mode: ownConnection ? 'embedded-running' : mode,
      address: handle?.address ?? `127.0.0.1:${settings.temporal.embeddedPort}`,
      serverVersion: probe.serverVersion,
      cliPath: handle?.embedded?.cli?.path,
      missingSearchAttributes: wanted.filter((name) => !probe.searchAttributes.includes(name)),
    };
  } catch (e) {
    return { ...base, reachable: false, mode, address: settings.temporal.address, error: errorText(e) };
  } finally {
    await ownConnection?.close();
    if (handle && handle !== running) await handle.close();
  }
}

async function checkDatabase(settings: Settings, running?: OpenedDb): Promise<DoctorReport['database']> {
  const driver = settings.databaseUrl ? 'postgres' : 'pglite';
  const pgliteDir = path.join(settings.dataDir, 'pglite');
  const location = settings.databaseUrl ? redactUrl(settings.databaseUrl) : pgliteDir;
  try {
    if (running) return { reachable: true, driver, location, migrations: await migrationsStatus(running.db) };
    if (driver === 'pglite') {
      const holder = await pgliteHolder(pgliteDir);
      if (holder !== undefined) return { reachable: true, driver, location, heldByPid: holder };
    }
    const opened = await openDatabase(settings);
    try {
      return { reachable: true, driver, location, migrations: await migrationsStatus(opened.db) };
    } finally {
      await opened.close();
    }
  } catch (e) {
    return { reachable: false, driver, location, error: errorText(e) };
  }
}

async function checkDataDir(dir: string): Promise<DoctorReport['dataDir']> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return { path: dir, writable: true };
  } catch (e) {
    return { path: dir, writable: false, error: errorText(e) };
  }
}

/** Passwords never reach the report. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL illisible';
  }
}

/** `running`: the connections of the calling process (`synchro start`), checked instead of opening new ones. */
export async function doctorReport(settings: Settings, running: { temporal?: TemporalHandle; db?: OpenedDb } = {}): Promise<DoctorReport> {
  const dataDir = await checkDataDir(settings.dataDir);
  const [temporal, database] = await Promise.all([checkTemporal(settings, running.temporal), checkDatabase(settings, running.db)]);
  const migrated = database.heldByPid !== undefined || (database.migrations ? database.migrations.applied === database.migrations.available : false);
  const ok = dataDir.writable && temporal.reachable && temporal.missingSearchAttributes.length === 0 && database.reachable && migrated;
  return { ok, temporal, database, dataDir };
}

export function renderDoctorReport(report: DoctorReport): string {
  const mark = (ok: boolean): string => (ok ? 'OK ' : 'KO ');
  const t = report.temporal;
  const d = report.database;
  const modeLabel = { cluster: 'cluster (TEMPORAL_ADDRESS)', embedded: 'serveur embarqué', 'embedded-running': 'serveur embarqué de « synchro start » (déjà en marche)' }[t.mode];
  const lines = [
    `${mark(t.reachable)} Temporal : ${modeLabel}, ${t.address ?? '?'}, espace de noms « ${t.namespace} »` +
      (t.serverVersion ? `, serveur ${t.serverVersion}` : '') + (t.error ? ` — ${t.error}` : ''),
  ];
  if (t.cliPath) lines.push(`    binaire : ${t.cliPath}`);
  if (t.missingSearchAttributes.length > 0) {
    lines.push(`KO  Attributs de recherche absents : ${t.missingSearchAttributes.join(', ')} (temporal operator search-attribute create)`);
  }
  lines.push(
    `${mark(d.reachable)} Base de données : ${d.driver === 'pglite' ? 'PGlite (embarquée)' : 'PostgreSQL'}, ${d.location}` +
      (d.migrations ? `, migrations ${d.migrations.applied}/${d.migrations.available}` : '') +
      (d.heldByPid !== undefined ? `, ouverte par « synchro start » (pid ${d.heldByPid})` : '') + (d.error ? ` — ${d.error}` : ''),
    `${mark(report.dataDir.writable)} Dossier de données : ${report.dataDir.path}` + (report.dataDir.error ? ` — ${report.dataDir.error}` : ''),
    report.ok ? 'Tout est prêt.' : 'Au moins un composant ne répond pas.',
  );
  return lines.join('\n');
}
