// Records the dashboard's demo data from a real run: `synchro demo` (the demo académie through the
// real workflows on a throwaway embedded server and PGlite), then the rows of its database written
// to client/web/demo-fixture.json. Run again when the chain changes what it records:
//   npx tsx scripts/record-demo-fixture.ts
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_FIXTURE, recordDemoRows, type DemoFixture } from '../client/web/demo-fixture';
import { openDatabase } from '../db/open';

/** A port nobody listens on now: the demo's embedded server must not meet another one on 7233. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs `synchro demo --json` with its data under a fresh temporary folder and returns the rows it left. */
export async function runDemoAndRecord(): Promise<DemoFixture> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'synchro-demo-fixture-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, SYNCHRO_DATA_DIR: dataDir, SYNCHRO_TEMPORAL_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    const bin = fileURLToPath(new URL('../bin/synchro.js', import.meta.url));
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'demo', '--json'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) throw new Error(`synchro demo a échoué (code ${code}) : pas de fixture enregistrée.`);
    // `synchro demo` keeps its files and PGlite under <data dir>/demo.
    const opened = await openDatabase({ dataDir: path.join(dataDir, 'demo') });
    try {
      return await recordDemoRows(opened.db);
    } finally {
      await opened.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const fixture = await runDemoAndRecord();
  await writeFile(DEMO_FIXTURE, `${JSON.stringify(fixture, null, 1)}\n`);
  console.log(`${fileURLToPath(DEMO_FIXTURE)} : ${Object.entries(fixture).map(([t, rows]) => `${t} ${rows.length}`).join(', ')}`);
}
