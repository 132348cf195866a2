// `npm run bench hostile`: the hostile and oversized inputs of issue #14 at full size, built in a
// temp dir, each answered in its OWN child process (so that the peak RSS printed is that input's
// alone) by the code a user meets: `check` (checks/check-file.ts), `drop` (client/actions), the
// parse pool, `schools import`. Prints, for each, how long the answer took, the child's peak RSS
// and whether it was refused or accepted. Targets: < 10 s and < 400 Mo. Nothing is asserted.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchModule } from '../bench.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(SELF, '..', '..', '..');
const UAI = '0382032C';
const MILLESIME = 2025;

interface Figures {
  ms: number;
  maxRssMb: number;
  outcome: string;
}

type Mode = 'check' | 'drop' | 'zip' | 'pool' | 'schools';

/** Child mode: answers one input the way `mode` does and prints its figures as JSON. */
async function child(mode: Mode, path: string, dataDir: string): Promise<void> {
  // Modules loaded before the clock starts: the figure is the answer's, not tsx's compilation.
  const [{ checkFile }, { dropFile }, { parseExchangeFile }, { migrate, openDb }, { importSchoolList }, { readZip }] = await Promise.all([
    import('../../checks/check-file.js'), import('../../client/actions/drop-file.js'), import('../../formats/parse-pool.js'),
    import('../../db/client.js'), import('../../client/actions/import-schools.js'), import('../../formats/archive.js'),
  ]);
  const start = performance.now();
  let outcome: string;
  try {
    if (mode === 'check') {
      const result = await checkFile(path, { on: `${MILLESIME}-09-15`, uai: UAI });
      const blocking = result.anomalies.find((a) => a.level === 'blocking');
      outcome = result.verdict === 'rejected' ? `refusé : ${blocking?.cause ?? blocking?.message ?? ''}` : `accepté (${result.verdict})`;
    } else if (mode === 'drop') {
      await dropFile(dataDir, UAI, path);
      outcome = 'accepté';
    } else if (mode === 'zip') {
      // The zip reader alone, past the size cap: what the central-directory limits cost by themselves.
      await readZip(path.replace(/^.*\//, ''), await readFile(path));
      outcome = 'accepté';
    } else if (mode === 'pool') {
      await parseExchangeFile(path.replace(/^.*\//, ''), await readFile(path));
      outcome = 'accepté';
    } else {
      const opened = await openDb({ dataDir });
      await migrate(opened.db);
      const result = await importSchoolList(opened.db, dataDir, path);
      await opened.close();
      outcome = result.problems.length > 0 ? `refusé : ${result.problems[0]}` : `accepté (${result.imported} établissements)`;
    }
  } catch (error) {
    outcome = `refusé : ${error instanceof Error ? error.message : String(error)}`;
  }
  const figures: Figures = { ms: performance.now() - start, maxRssMb: process.resourceUsage().maxRSS / 1024, outcome };
  console.log(JSON.stringify(figures));
  process.exit(0);
}

function runChild(mode: Mode, path: string, dataDir: string): Figures | string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--hostile-child', mode, path, dataDir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20, timeout: 300_000 });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Figures;
  } catch {
    return `échec (code ${result.status ?? '?'}, signal ${result.signal ?? '-'}) : ${result.stderr.trim().split('\n').slice(-3).join(' ')}`;
  }
}

async function sparse(path: string, bytes: number): Promise<void> {
  await writeFile(path, '');
  await truncate(path, bytes);
}

/** A list of `count` schools, each UAI with its right key letter. */
async function schoolList(path: string, count: number): Promise<void> {
  const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  const handle = await open(path, 'w');
  try {
    let chunk = 'uai;nom;academie\n';
    for (let i = 0; i < count; i += 1) {
      const digits = String(1_000_000 + i).padStart(7, '0');
      chunk += `${digits}${letters[Number(digits) % 23]};Collège numéro ${i};Académie ${i % 30}\n`;
      if (chunk.length > 1 << 20) {
        await handle.write(chunk);
        chunk = '';
      }
    }
    await handle.write(chunk);
  } finally {
    await handle.close();
  }
}

async function run(): Promise<void> {
  const { eleGroupeZipOfSize, siecleExportOfTinyElements, zipOfEmptyEntries } = await import('../../generators/hostile.js');
  const dir = await mkdtemp(join(tmpdir(), 'synchro-bench-hostile-'));
  const dataDir = join(dir, 'data');
  await mkdir(join(dataDir, 'schools', UAI), { recursive: true });
  const cases: { label: string; build: () => Promise<string>; modes: Mode[] }[] = [
    { label: 'zip SIECLE de 1 100 000 entrées vides (94 Mo)', modes: ['check', 'drop', 'zip'], build: async () => {
      const p = join(dir, '1.1M', 'ExportXML_ElevesSansAdresses.zip');
      await mkdir(join(dir, '1.1M'));
      await writeFile(p, zipOfEmptyEntries(1_100_000));
      return p;
    } },
    { label: 'zip SIECLE de 400 000 entrées vides', modes: ['check', 'zip'], build: async () => {
      const p = join(dir, '400k', 'ExportXML_ElevesSansAdresses.zip');
      await mkdir(join(dir, '400k'));
      await writeFile(p, zipOfEmptyEntries(400_000));
      return p;
    } },
    { label: 'zip SIECLE de 100 000 entrées vides', modes: ['check'], build: async () => {
      const p = join(dir, '100k', 'ExportXML_ElevesSansAdresses.zip');
      await mkdir(join(dir, '100k'));
      await writeFile(p, zipOfEmptyEntries(100_000));
      return p;
    } },
    { label: 'export SIECLE de 95 Mo de petits éléments', modes: ['check', 'drop'], build: async () => {
      const p = join(dir, 'ElevesSansAdresses.xml');
      await writeFile(p, siecleExportOfTinyElements(UAI, MILLESIME, 95_000_000 / 4));
      return p;
    } },
    { label: 'export SIECLE de 30 Mo de petits éléments (sous le plafond de taille)', modes: ['check', 'pool'], build: async () => {
      const p = join(dir, 'tiny30', 'ElevesSansAdresses.xml');
      await mkdir(join(dir, 'tiny30'));
      await writeFile(p, siecleExportOfTinyElements(UAI, MILLESIME, 30_000_000 / 4));
      return p;
    } },
    { label: 'zip élève-groupe contenant 94 Mo de XML', modes: ['check', 'drop'], build: async () => {
      const { name, zip } = eleGroupeZipOfSize(UAI, MILLESIME, 94_000_000);
      const p = join(dir, name);
      await writeFile(p, zip);
      return p;
    } },
    { label: 'fichier de 1,5 Go', modes: ['check', 'drop'], build: async () => {
      const p = join(dir, 'import_lsu_20250915120000.xml');
      await sparse(p, 1.5e9);
      return p;
    } },
    { label: 'fichier de 2,5 Gio (au-delà de la limite de Node)', modes: ['check', 'drop'], build: async () => {
      const p = join(dir, 'big', `sts_emp_${UAI}_2025.xml`);
      await mkdir(join(dir, 'big'));
      await sparse(p, 2.5 * 1024 ** 3);
      return p;
    } },
    { label: 'liste de 100 000 établissements (schools import)', modes: ['schools'], build: async () => {
      const p = join(dir, 'etablissements.csv');
      await schoolList(p, 100_000);
      return p;
    } },
  ];
  try {
    console.log('entrée'.padEnd(72) + 'par'.padEnd(8) + 'durée'.padStart(9) + 'RSS max'.padStart(10) + '  réponse   [cibles : < 10 s, < 400 Mo]');
    for (const c of cases) {
      const path = await c.build();
      for (const mode of c.modes) {
        const figures = runChild(mode, path, mode === 'schools' ? join(dir, 'schools-data') : dataDir);
        if (typeof figures === 'string') {
          console.log(`${c.label.padEnd(72)}${mode.padEnd(8)} ${figures}`);
          continue;
        }
        const outcome = figures.outcome.length > 110 ? `${figures.outcome.slice(0, 110)}…` : figures.outcome;
        console.log(`${c.label.padEnd(72)}${mode.padEnd(8)}${`${(figures.ms / 1000).toFixed(2)} s`.padStart(9)}${`${figures.maxRssMb.toFixed(0)} Mo`.padStart(10)}  ${outcome}`);
      }
      await rm(path, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const childIndex = process.argv.indexOf('--hostile-child');
if (childIndex >= 0) await child(process.argv[childIndex + 1] as Mode, process.argv[childIndex + 2] ?? '', process.argv[childIndex + 3] ?? '');

export default { name: 'hostile', run } satisfies BenchModule;
