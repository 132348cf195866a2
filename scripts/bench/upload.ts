// `npm run bench upload`: a ~100 Mo LSU file uploaded to a school's portal page over real HTTP
// (curl, a separate process, so the client's memory is not counted), the server's RSS sampled
// every 20 ms. Twice: on the school's own page (streamed to disk, checked as `synchro check` does,
// then deposited by `synchro drop`'s code path) and on another school's page (refused by the check,
// nothing deposited), which separates the upload and check from the deposit. Target: RSS growth
// under 100 MB. Figures only, nothing asserted.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { serve } from '@hono/node-server';
import { registerSchool } from '../../client/actions/register-schools';
import { createWebApp } from '../../client/web/app';
import { currentMillesime } from '../../client/web/portal/school-year';
import { migrate, openDb } from '../../db/client';
import { bigLsuFile } from '../../generators/index.js';
import { localDate, timeZoneOf } from '../../rules/time-zones';
import type { BenchModule } from '../bench.js';

const UAI = '0382032C';
const OTHER = '0750680G';
const TARGET_BYTES = 98_000_000;
/** The script's bearer token (SYNCHRO_WEB_TOKEN): a viewer who sees every school, no cookie hence no CSRF. */
const TOKEN = 'jeton-du-banc';

function curl(url: string, file: string): Promise<{ status: string; ms: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Expect:', '-H', `authorization: Bearer ${TOKEN}`, '-H', 'content-type: application/octet-stream', '-T', file, url]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve({ status: out.trim(), ms: Math.round(performance.now() - start) }));
  });
}

// RSS alone can hide a whole-file read when the process already holds freed memory (generating the
// file leaves hundreds of MB): Buffers live outside the JS heap, so their peak is sampled too.
async function measure(url: string, file: string): Promise<{ status: string; ms: number; baseMb: number; peakMb: number; buffersMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let peak = base.rss;
  let buffers = base.arrayBuffers;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    buffers = Math.max(buffers, m.arrayBuffers);
  };
  const timer = setInterval(sample, 20);
  try {
    const result = await curl(url, file);
    sample();
    return { ...result, baseMb: Math.round(base.rss / 1e6), peakMb: Math.round(peak / 1e6), buffersMb: Math.round((buffers - base.arrayBuffers) / 1e6) };
  } finally {
    clearInterval(timer);
  }
}

const bench: BenchModule = {
  name: 'upload',
  async run() {
    const root = await mkdtemp(join(tmpdir(), 'synchro-upload-bench-'));
    const opened = await openDb({ inMemory: true });
    try {
      await migrate(opened.db);
      const dataDir = join(root, 'data');
      await registerSchool(opened.db, dataDir, { uai: UAI, name: 'Collège Les Buclos', academie: 'Grenoble', connector: 'folder' });
      await registerSchool(opened.db, dataDir, { uai: OTHER, name: 'Lycée Charlemagne', academie: 'Paris', connector: 'folder' });
      const millesime = currentMillesime(UAI, localDate(new Date(), timeZoneOf(UAI)));
      const file = join(root, 'import_lsu_20261201120000.xml');
      const { bytes } = await bigLsuFile(file, { targetBytes: TARGET_BYTES, uai: UAI, millesime });
      // The app as `synchro web` builds it (its sign-in, Host and CSRF checks), used as a script would.
      const listening = { port: 0 };
      const app = createWebApp({ db: opened.db, dataDir, listening, settings: { web: { host: '127.0.0.1', port: 0, token: TOKEN }, temporal: { namespace: 'default' } } });
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise((r) => server.once('listening', r));
      const port = (listening.port = (server.address() as AddressInfo).port);
      console.log(`file: ${basename(file)}, ${(bytes / 1e6).toFixed(1)} MB`);
      for (const [label, uai] of [["own school (check, then deposit)", UAI], ["another school (refused by the check)", OTHER]] as const) {
        const m = await measure(`http://127.0.0.1:${port}/etablissement/${uai}/depot?nom=${basename(file)}&millesime=${millesime}`, file);
        console.log(`${label}: HTTP ${m.status} in ${m.ms} ms, server RSS ${m.baseMb} → peak ${m.peakMb} MB (growth ${m.peakMb - m.baseMb} MB; target < 100 MB), Buffers peak +${m.buffersMb} MB`);
      }
      await new Promise((r) => server.close(r));
    } finally {
      await opened.close();
      await rm(root, { recursive: true, force: true });
    }
  },
};

export default bench;
