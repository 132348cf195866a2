// Benchmarks of the rules (issue "pure checks"): (a) the simulated nightly SIECLE import of a
// 2,500-pupil lycée's élève-groupe file (target < 1 s); (b) LSU's import report of a ~100 MB file,
// streamed through the reader and the checker in a CHILD process so that its peak RSS is its own
// (targets ≥ 25 MB/s, RSS < 400 MB). The child loads the school's SIECLE Élèves export and sts_emp
// first (as JSON, parsed once by the parent); RSS is reported for the whole child and for the
// streaming phase alone. Figures are printed beside the targets; nothing is asserted.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEleGroupe } from '../../formats/elegroupe.js';
import { readLsuBilans } from '../../formats/lsu-bilans.js';
import { readSiecleCommuns, readSiecleEleves, readSiecleStructures } from '../../formats/siecle-exports.js';
import { readStsEdt } from '../../formats/sts-edt.js';
import { bigLsuFile, generateSchool, siecleExportXml, writePronoteEleGroupe, writeStsEmp } from '../../generators/index.js';
import { simulateEleGroupeImport } from '../../rules/elegroupe-import.js';
import { createLsuImportChecker } from '../../rules/lsu-import.js';
import type { EleGroupeFile, SiecleEleves, SiecleStructures, StsStructureFile } from '../../formats/types.js';
import type { BenchModule } from '../bench.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(SELF, '..', '..', '..');
const LSU_TARGET_BYTES = 98_000_000;
const UAI = '0750680G';
const MILLESIME = 2017;

function nightlyBench(): void {
  const { model } = generateSchool({ seed: 1, kind: 'lycee', millesime: MILLESIME, pupils: 2500, faults: [{ kind: 'unknown-group' }, { kind: 'date-outside-calendar' }, { kind: 'group-not-in-mef' }] });
  const written = writePronoteEleGroupe(model);
  const file = readEleGroupe(written.zipName, written.xml);
  const context = {
    eleves: readSiecleEleves('ElevesSansAdresses.xml', siecleExportXml(model, 'ElevesSansAdresses')),
    structures: readSiecleStructures('Structures.xml', siecleExportXml(model, 'Structures')),
    communs: readSiecleCommuns('Communs.xml', siecleExportXml(model, 'Communs')),
  };
  densify(file, context.eleves, context.structures);
  const links = file.pupils.reduce((n, p) => n + p.groups.length, 0);
  const times: number[] = [];
  let report = simulateEleGroupeImport(file, context);
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    report = simulateEleGroupeImport(file, context);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`Traitement de nuit élève-groupe, lycée de ${file.pupils.length} élèves, ${links} liens : médiane ${times[3]!.toFixed(1)} ms, pire ${times[6]!.toFixed(1)} ms` +
    ` (${report.counts.partial} PAR, ${report.anomalies.length} anomalies)   [cible : < 1 s]`);
}

/**
 * The generated lycée gives ~2 groups per pupil; a real lycée with half-classes, options and
 * spécialités has ~13. Each pupil gets more groups of its own MEF (valid links, no anomaly) so
 * that the file carries ~30,000 links, as the issue asks.
 */
function densify(file: EleGroupeFile, eleves: SiecleEleves, structures: SiecleStructures, perPupil = 13): void {
  const mefOf = new Map(eleves.pupils.map((p) => [p.eleveId, p.mef]));
  const byMef = new Map<string, string[]>();
  for (const g of structures.groups) for (const m of g.mefs) (byMef.get(m) ?? byMef.set(m, []).get(m)!).push(g.code);
  file.pupils.forEach((p, i) => {
    const candidates = byMef.get(mefOf.get(p.id.value) ?? '') ?? [];
    const have = new Set(p.groups.map((g) => g.code));
    for (let k = 0; k < candidates.length && p.groups.length < perPupil; k++) {
      const code = candidates[(i + k) % candidates.length]!;
      if (!have.has(code)) {
        have.add(code);
        p.groups.push({ code });
      }
    }
  });
}

interface ChildFigures {
  loadMs: number;
  ms: number;
  bytes: number;
  bilans: number;
  anomalies: number;
  maxRssMb: number;
  streamPeakRssMb: number;
  baseRssMb: number;
}

/** Child mode: `node --import tsx rules.ts --child <dir>` prints its figures as JSON. */
async function child(dir: string): Promise<void> {
  const t0 = performance.now();
  const { eleves, sts } = JSON.parse(await readFile(join(dir, 'reference.json'), 'utf8')) as { eleves: SiecleEleves; sts: StsStructureFile };
  const checker = createLsuImportChecker({ uai: UAI, on: '2017-12-01', file: 'import_lsu_big.xml', eleves, sts, millesime: MILLESIME });
  const loadMs = performance.now() - t0;
  (globalThis as { gc?: () => void }).gc?.();
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const start = performance.now();
  const result = await readLsuBilans(join(dir, 'import_lsu_big.xml'), (b, refs) => checker.onBilan(b, refs));
  const report = checker.finish(result.header);
  const ms = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const { size } = await import('node:fs').then((fs) => fs.statSync(join(dir, 'import_lsu_big.xml')));
  const figures: ChildFigures = {
    loadMs, ms, bytes: size, bilans: report.periodic.processed + report.cycle.processed, anomalies: report.anomalies.length,
    maxRssMb: process.resourceUsage().maxRSS / 1024, streamPeakRssMb: peak / 1048576, baseRssMb: baseRss / 1048576,
  };
  console.log(JSON.stringify(figures));
}

function runChild(dir: string): ChildFigures | string {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--child', dir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as ChildFigures;
  } catch {
    return `échec (code ${result.status ?? '?'}) : ${result.stderr.trim().split('\n').slice(-3).join(' ')}`;
  }
}

async function lsuBench(dir: string): Promise<void> {
  const t0 = performance.now();
  const { bytes, pupils } = await bigLsuFile(join(dir, 'import_lsu_big.xml'), { targetBytes: LSU_TARGET_BYTES, seed: 1, millesime: MILLESIME, uai: UAI });
  // The same school (same seed and size): its SIECLE Élèves export and sts_emp are the reference.
  const { model } = generateSchool({ seed: 1, kind: 'college', millesime: MILLESIME, pupils, uai: UAI, withLsu: false });
  // Parsed here through the real readers and handed to the child as JSON: the child measures the
  // reader + checker, not the XML tree of a 36,000-pupil Élèves export (no real school has one).
  const eleves = readSiecleEleves('ElevesSansAdresses.xml', siecleExportXml(model, 'ElevesSansAdresses'));
  const sts = readStsEdt('sts_emp.xml', writeStsEmp(model).data);
  await writeFile(join(dir, 'reference.json'), JSON.stringify({ eleves, sts }));
  console.log(`LSU généré : ${(bytes / 1e6).toFixed(1)} MB, ${pupils} élèves, en ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const f = runChild(dir);
  if (typeof f === 'string') {
    console.log(`Rapport LSU (lecteur en flux + contrôles) : ${f}`);
    return;
  }
  const rate = f.bytes / 1e6 / (f.ms / 1000);
  console.log(`Rapport LSU (lecteur en flux + contrôles) : ${(f.ms / 1000).toFixed(2)} s, ${rate.toFixed(1)} MB/s, ${f.bilans} bilans, ${f.anomalies} anomalies   [cible : ≥ 25 MB/s]`);
  console.log(`  RSS : pic pendant le flux ${f.streamPeakRssMb.toFixed(0)} MB (dont ${f.baseRssMb.toFixed(0)} MB de référence chargée), pic du processus ${f.maxRssMb.toFixed(0)} MB` +
    ` (référence SIECLE/STS chargée en ${(f.loadMs / 1000).toFixed(1)} s)   [cible : RSS < 400 MB]`);
}

async function run(): Promise<void> {
  nightlyBench();
  const dir = await mkdtemp(join(tmpdir(), 'synchro-bench-rules-'));
  try {
    await lsuBench(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) await child(process.argv[childIndex + 1] ?? '');

export default { name: 'rules', run } satisfies BenchModule;
