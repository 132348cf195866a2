// Benchmarks of the exchange-file readers (issue "exchange files"): (a) a ~100 MB LSU file read
// with the streaming reader vs parsed whole with fast-xml-parser, each in its OWN child process so
// that peak RSS of one does not pollute the other; (b) the same file's validated check (`synchro
// check`: XSD by libxml2's streaming validator beside LSU's checks) beside libxml2's own
// `xmllint --stream` on it (issue 11); (c) reading a 2,500-pupil lycée's seven SIECLE zips.
// Figures are printed beside the targets; nothing is asserted.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { openXml } from '../../formats/archive.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFile } from '../../checks/check-file.js';
import { parseLsuBilansWhole, readLsuBilans } from '../../formats/lsu-bilans.js';
import { readHead } from '../../formats/lsu-schema.js';
import { lsuSchemaInfo } from '../../formats/lsu-versions.js';
import { lsuSchemaVersionOf, xsdPath } from '../../formats/schema.js';
import { xmllintAvailable, xmllintCommand } from '../../formats/xmllint-stream.js';
import {
  readSiecleCommuns, readSiecleEleves, readSiecleHeaderOnly, readSiecleNomenclature, readSiecleResponsables, readSiecleStructures,
} from '../../formats/siecle-exports.js';
import { bigLsuFile, generateSchool, writeSchoolFolder } from '../../generators/index.js';
import type { BenchModule } from '../bench.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(SELF, '..', '..', '..');
/** Under LSU's limit of 100 Mo (104,857,600 bytes), which the readers enforce too. */
const LSU_TARGET_BYTES = 98_000_000;

interface ChildFigures {
  ms: number;
  bilans: number;
  maxRssMb: number;
  /** check mode: peak RSS of the xmllint child, and the verdict. */
  xmllintRssMb?: number;
  verdict?: string;
}

/** Peak RSS (VmHWM) of a live process, in MB; 0 once it is gone. */
function peakRssMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Watches the peak RSS of this process's children (the xmllint it spawns) every 20 ms. */
function watchChildren(): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      for (const task of readdirSync('/proc/self/task')) {
        for (const pid of readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) peak = Math.max(peak, peakRssMb(Number(pid)));
      }
    } catch {
      // not Linux, or the child just ended
    }
  }, 20);
  return { stop: () => (clearInterval(timer), peak) };
}

/** Child mode: `node --import tsx formats.ts --child stream|whole|check <path>` prints its figures as JSON. */
async function child(mode: string, path: string): Promise<void> {
  const start = performance.now();
  let bilans = 0;
  if (mode === 'check') {
    const watch = watchChildren();
    const result = await checkFile(path, { on: '2018-01-15', onBilan: () => void bilans++ });
    const xmllintRssMb = watch.stop();
    console.log(JSON.stringify({ ms: performance.now() - start, bilans, maxRssMb: process.resourceUsage().maxRSS / 1024, xmllintRssMb, verdict: result.verdict } satisfies ChildFigures));
    return;
  }
  if (mode === 'stream') {
    await readLsuBilans(path, () => {
      bilans++;
    });
  } else {
    const parsed = parseLsuBilansWhole(await readFile(path), path);
    for (const b of parsed.bilans) if (b.pupilRef) bilans++; // walk every bilan, as the stream does
  }
  const figures: ChildFigures = { ms: performance.now() - start, bilans, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(figures));
}

function runChild(mode: 'stream' | 'whole' | 'check', path: string): ChildFigures | string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', mode, path], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as ChildFigures;
  } catch {
    return `échec (code ${result.status ?? '?'}) : ${result.stderr.trim().split('\n').slice(-3).join(' ')}`;
  }
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

async function lsuBench(dir: string): Promise<void> {
  const path = join(dir, 'import_lsu_big.xml');
  const t0 = performance.now();
  const { bytes, pupils } = await bigLsuFile(path, { targetBytes: LSU_TARGET_BYTES, seed: 1 });
  console.log(`LSU généré : ${mb(bytes)} MB, ${pupils} élèves, en ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const mode of ['stream', 'whole'] as const) {
    const figures = runChild(mode, path);
    const label = mode === 'stream' ? 'readLsuBilans (flux, saxes)     ' : 'parseLsuBilansWhole (fast-xml) ';
    if (typeof figures === 'string') {
      console.log(`${label} ${figures}`);
      continue;
    }
    const rate = bytes / 1e6 / (figures.ms / 1000);
    console.log(`${label} ${(figures.ms / 1000).toFixed(2)} s, ${rate.toFixed(1)} MB/s, RSS max ${figures.maxRssMb.toFixed(0)} MB, ${figures.bilans} bilans` +
      `   [cible : ≥ 25 MB/s, RSS < 400 MB]`);
  }
  await lsuXsdBench(path, bytes);
}

/** libxml2's own streaming validation of `path`: wall time and peak RSS (polled from /proc). */
async function xmllintAlone(command: string, xsd: string, path: string): Promise<{ ms: number; rssMb: number; code: number | null }> {
  const start = performance.now();
  const child = spawn(command, ['--noout', '--stream', '--nonet', '--schema', xsd, path], { stdio: 'ignore' });
  let rssMb = 0;
  const timer = setInterval(() => { rssMb = Math.max(rssMb, peakRssMb(child.pid!)); }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  return { ms: performance.now() - start, rssMb, code };
}

async function lsuXsdBench(path: string, bytes: number): Promise<void> {
  const command = xmllintCommand();
  if (!(await xmllintAvailable(command))) {
    console.log('check validé (XSD)              xmllint absent (paquet libxml2-utils) : pas de comparaison avec libxml2');
    return;
  }
  const info = lsuSchemaInfo(lsuSchemaVersionOf(await readHead(path)) ?? '');
  if (!info) throw new Error('schemaVersion du fichier généré sans XSD');
  const alone = await xmllintAlone(command!, xsdPath(info.xsd), path);
  console.log(`xmllint --stream seul (libxml2)  ${(alone.ms / 1000).toFixed(2)} s, ${(bytes / 1e6 / (alone.ms / 1000)).toFixed(1)} MB/s, RSS max ${alone.rssMb.toFixed(0)} MB, code ${alone.code ?? '?'}`);
  const check = runChild('check', path);
  if (typeof check === 'string') {
    console.log(`check validé (XSD + contrôles)   ${check}`);
    return;
  }
  const ratio = check.ms / alone.ms;
  console.log(`check validé (XSD + contrôles)   ${(check.ms / 1000).toFixed(2)} s (${ratio.toFixed(2)} × libxml2 seul), RSS max ${check.maxRssMb.toFixed(0)} MB (node) + ${(check.xmllintRssMb ?? 0).toFixed(0)} MB (xmllint), ${check.bilans} bilans, ${check.verdict}` +
    `   [cible : ≤ 1,5 × libxml2, RSS < 300 MB]`);
}

async function siecleBench(dir: string): Promise<void> {
  const { model } = generateSchool({ seed: 1, kind: 'lycee', millesime: 2019, pupils: 2500 });
  const files = (await writeSchoolFolder(model, dir)).filter((f) => f.role === 'siecle-export');
  const zips = await Promise.all(files.map(async (f) => ({ name: f.path, bytes: await readFile(join(dir, f.path)) })));
  // The readers take XML: each zip is opened (yauzl, bounded) inside the timed loop, as the chain does.
  const read = (name: string, bytes: Uint8Array): unknown => {
    if (name.includes('Eleves')) return readSiecleEleves(name, bytes);
    if (name.includes('Responsables')) return readSiecleResponsables(name, bytes);
    if (name.includes('Structures')) return readSiecleStructures(name, bytes);
    if (name.includes('Nomenclature')) return readSiecleNomenclature(name, bytes);
    if (name.includes('Communs')) return readSiecleCommuns(name, bytes);
    return readSiecleHeaderOnly(name, bytes, name.includes('Etablissements') ? 'siecle-etablissements' : 'siecle-geographique');
  };
  const total = zips.reduce((s, z) => s + z.bytes.length, 0);
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    for (const z of zips) read(z.name, (await openXml(z.name, z.bytes)).data);
    times.push(performance.now() - t0);
  }
  const first = times[0]!;
  const best = Math.min(...times);
  console.log(`7 zips SIECLE d'un lycée de 2 500 élèves (${(total / 1e3).toFixed(0)} ko compressés) : 1re lecture ${first.toFixed(0)} ms, meilleure ${best.toFixed(0)} ms   [cible : < 1 s]`);
}

async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'synchro-bench-formats-'));
  try {
    await siecleBench(join(dir, 'lycee'));
    await lsuBench(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) await child(process.argv[childIndex + 1] ?? 'stream', process.argv[childIndex + 2] ?? '');

export default { name: 'formats', run } satisfies BenchModule;
