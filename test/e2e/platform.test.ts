// The platform commands as a user runs them: `synchro doctor --json` and `synchro start`, as
// subprocesses, on a fresh data dir, with the embedded Temporal server and PGlite.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, freePort, freshEnv, removeFreshDirs, runCli as run } from '../support/cli';

afterEach(removeFreshDirs);

describe('synchro doctor --json on the embedded default', () => {
  it('starts the dev server for the check, migrates PGlite, reports everything reachable, and prints only JSON', async () => {
    const env = await freshEnv();
    const { code, stdout, stderr } = await run(['doctor', '--json'], env);
    expect(stderr).not.toMatch(/Error/);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      temporal: { reachable: boolean; mode: string; serverVersion: string; missingSearchAttributes: string[]; address: string };
      database: { reachable: boolean; driver: string; migrations: { applied: number; available: number } };
      dataDir: { writable: boolean; path: string };
    };
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.temporal).toMatchObject({ reachable: true, mode: 'embedded', missingSearchAttributes: [], address: `127.0.0.1:${env.SYNCHRO_TEMPORAL_PORT}` });
    expect(report.temporal.serverVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.database).toMatchObject({ reachable: true, driver: 'pglite' });
    expect(report.database.migrations.applied).toBe(report.database.migrations.available);
    expect(report.database.migrations.available).toBeGreaterThan(0);
    expect(report.dataDir).toEqual({ path: env.SYNCHRO_DATA_DIR, writable: true });
    expect((await readdir(env.SYNCHRO_DATA_DIR!)).sort()).toEqual(['pglite', 'temporal.log', 'temporal.sqlite']);
  });

  it('says what is wrong and exits 2 when the configured Temporal cluster does not answer', async () => {
    const env = { ...(await freshEnv()), TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` };
    const { code, stdout } = await run(['doctor'], env);
    expect(code).toBe(2);
    expect(stdout).toMatch(/^KO {2}Temporal : cluster \(TEMPORAL_ADDRESS\)/m);
    expect(stdout).toMatch(/^OK {2}Base de données : PGlite/m);
    expect(stdout).toContain('Au moins un composant ne répond pas.');
  });
});

/** Follows the admin's one-time link printed by `synchro start` (as a browser would): the session cookie. */
async function signInFromTerminal(stdout: string): Promise<string> {
  const link = /Administrateur académique \(démo\) : (http:\/\/\S+)/.exec(stdout)?.[1];
  if (!link) throw new Error(`no sign-in link printed: ${stdout}`);
  const response = await fetch(link, { method: 'POST', redirect: 'manual', headers: { origin: new URL(link).origin } });
  expect(response.status).toBe(303);
  return /synchro_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
}

describe('synchro start', () => {
  it('brings up the dev server, the database and the worker, prints the doctor report, and stops cleanly on Ctrl-C', async () => {
    const env = await freshEnv();
    const child = spawn(process.execPath, [BIN, 'start'], { env });
    let stdout = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('Ctrl-C pour arrêter.')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`start exited early (${code}): ${stdout}`)));
    });
    await ready;
    expect(stdout).toContain('Tout est prêt.');
    expect(stdout).toContain(`Temporal : 127.0.0.1:${env.SYNCHRO_TEMPORAL_PORT} (serveur embarqué)`);
    // The dashboard is served by the same process; with no identity provider, the sign-in is a
    // one-time link printed here.
    expect(stdout).toContain(`Tableau de bord : http://127.0.0.1:${env.SYNCHRO_WEB_PORT}`);
    const anonymous = await fetch(`http://127.0.0.1:${env.SYNCHRO_WEB_PORT}/`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/connexion?retour=%2F');
    const page = await fetch(`http://127.0.0.1:${env.SYNCHRO_WEB_PORT}/`, { headers: { cookie: await signInFromTerminal(stdout) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("état de la chaîne");

    // While it runs, doctor finds the running embedded server instead of starting another one.
    // PGlite belongs to the start process: doctor says who holds it rather than opening it twice.
    const doctor = await run(['doctor', '--json'], env);
    const seen = JSON.parse(doctor.stdout) as { ok: boolean; temporal: { mode: string }; database: { heldByPid?: number } };
    expect(seen.temporal.mode).toBe('embedded-running');
    expect(seen.database.heldByPid).toBe(child.pid);
    expect(seen.ok).toBe(true);

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain('Arrêté proprement.');
  });

  it('with --demo, runs the demo académie beside the dashboard, which then shows its schools', async () => {
    const env = await freshEnv();
    const child = spawn(process.execPath, [BIN, 'start', '--demo'], { env });
    let stdout = '';
    const over = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('Démo terminée') || stdout.includes('Démo interrompue')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`start exited early (${code}): ${stdout}`)));
    });
    await over;
    expect(stdout).toContain('Démo terminée');
    expect(stdout).toContain('Démo : Nuit SIECLE du 2026-03-02');
    const grid = await (await fetch(`http://127.0.0.1:${env.SYNCHRO_WEB_PORT}/`, { headers: { cookie: await signInFromTerminal(stdout) } })).text();
    for (const uai of ['0750680G', '0660864F', '9830418M']) expect(grid).toContain(uai);
    expect(grid).toContain('Réussie avec anomalies');

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 180_000);
});
