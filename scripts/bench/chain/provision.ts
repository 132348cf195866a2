// Fast provisioning for the chain bench: a few template schools are made by the real sandbox
// (provisionSandboxSchool: generator, faults, sandbox.json, LSU's state, the Structures export
// kept for 4a), and every bench school is a copy of one of them with its own UAI in the file names
// and contents. Generating a collège costs ~0.4 s and a lycée several; a copy costs a millisecond
// or two, so 10,000 schools are set up in well under a minute instead of more than an hour.
//
// The UAI is plain ASCII in every file (ISO-8859-15 or UTF-8 XML, JSON), so it is replaced byte
// for byte at the offsets found in the template. Zips are not inflated and deflated again per copy:
// each entry is cut just after the template's last UAI; the tail is deflated once per template and
// each copy deflates only its short head (ended by a sync flush, byte-aligned, not final) before
// that tail. A deflate stream that never refers back before its own start may follow a flushed one
// (pigz builds its streams this way), so the result is one ordinary deflate stream, read by yauzl
// like any other (CRC and sizes are those of the whole entry).
//
// Child mode (templates are generated in parallel, one process per core):
//   node --import tsx provision.ts --template-child DATA_DIR SPECS_JSON
import { spawn } from 'node:child_process';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import AdmZip from 'adm-zip';
import { provisionSandboxSchool } from '../../../connectors/sandbox';
import type { FaultSpec, SchoolKind } from '../../../generators/index';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(SELF, '..', '..', '..', '..');

export interface TemplateSpec {
  uai: string;
  kind: SchoolKind;
  seed: number;
  faults: FaultSpec[];
}

/** What a phase reads: the night only SIECLE's exports it simulates against and the élève-groupe zip. */
export type Needs = 'year' | 'night';

/**
 * The files the night's bench needs (steps/pronote-siecle-elegroupe.ts: the élève-groupe zip and
 * a pupils export having been made; connectors/night.ts: Eleves, Structures, Communs), and
 * sandbox.json so that the school stays a sandbox school. The year needs everything.
 */
const NIGHT_FILES = [/^sandbox\.json$/, /^pronote\/inbox\/.*ELEGROUPE.*\.zip$/i, /^siecle\/inbox\/ExportXML_(Eleves\w*|Structures|Communs)\.zip$/i];

interface Patchable {
  /** The template's bytes; the UAI sits at `offsets`. */
  data: Buffer;
  offsets: number[];
}

interface ZipEntryTemplate {
  /** Entry name with the template's UAI at `nameOffsets`. */
  name: string;
  nameOffsets: number[];
  /** Bytes up to (and including) the last UAI, patched per copy. */
  head: Patchable;
  /** The rest, raw (for the CRC) and deflated once (final block). */
  tail: Buffer;
  tailDeflated: Buffer;
  dosTime: number;
  dosDate: number;
}

interface FileTemplate {
  /** Path relative to the school's folder, with the template's UAI in it. */
  path: string;
  plain?: Patchable;
  zip?: ZipEntryTemplate[];
}

export interface Template {
  uai: string;
  kind: SchoolKind;
  faulty: boolean;
  name: string;
  files: FileTemplate[];
  /** Bytes a copy writes (all files). */
  bytes: number;
}

function offsetsOf(data: Buffer, needle: Buffer): number[] {
  const out: number[] = [];
  for (let at = data.indexOf(needle); at >= 0; at = data.indexOf(needle, at + needle.length)) out.push(at);
  return out;
}

function patched(p: Patchable, uai: Buffer): Buffer {
  const copy = Buffer.from(p.data);
  for (const at of p.offsets) uai.copy(copy, at);
  return copy;
}

function replaceAll(text: string, from: string, to: string): string {
  return text.split(from).join(to);
}

function dosDateTime(date: Date): { dosTime: number; dosDate: number } {
  return {
    dosTime: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    dosDate: ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function zipTemplate(bytes: Buffer, uai: Buffer): ZipEntryTemplate[] {
  // Our own generated zips (trusted): adm-zip is fine for reading them.
  return new AdmZip(bytes).getEntries().map((entry) => {
    const data = entry.getData();
    const offsets = offsetsOf(data, uai);
    const cut = offsets.length > 0 ? offsets[offsets.length - 1]! + uai.length : 0;
    const tail = data.subarray(cut);
    return {
      name: entry.entryName,
      nameOffsets: offsetsOf(Buffer.from(entry.entryName, 'latin1'), uai),
      head: { data: Buffer.from(data.subarray(0, cut)), offsets },
      tail: Buffer.from(tail),
      tailDeflated: zlib.deflateRawSync(tail),
      ...dosDateTime(entry.header.time),
    };
  });
}

/** Reads a school folder written by provisionSandboxSchool as a template (every file, UAI located). */
export async function loadTemplate(schoolDir: string, spec: TemplateSpec, name: string): Promise<Template> {
  const uai = Buffer.from(spec.uai, 'latin1');
  const files: FileTemplate[] = [];
  let bytes = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      const data = await readFile(full);
      const path = relative(schoolDir, full).split('\\').join('/');
      bytes += data.length;
      files.push(path.endsWith('.zip') ? { path, zip: zipTemplate(data, uai) } : { path, plain: { data, offsets: offsetsOf(data, uai) } });
    }
  };
  await walk(schoolDir);
  return { uai: spec.uai, kind: spec.kind, faulty: spec.faults.length > 0, name, files, bytes };
}

type PrecompressedEntry = { name: Buffer; crc: number; size: number; compressed: Buffer; dosTime: number; dosDate: number };

/**
 * The fields a local header and a central directory record share, in the same order (method,
 * time, date, CRC-32, compressed and uncompressed sizes, name length), from `at`: 8 in the local
 * header, 10 in the central record.
 */
function writeEntryFields(header: Buffer, at: number, e: PrecompressedEntry): void {
  header.writeUInt16LE(8, at); // deflate
  header.writeUInt16LE(e.dosTime, at + 2);
  header.writeUInt16LE(e.dosDate, at + 4);
  header.writeUInt32LE(e.crc >>> 0, at + 6);
  header.writeUInt32LE(e.compressed.length, at + 10);
  header.writeUInt32LE(e.size, at + 14);
  header.writeUInt16LE(e.name.length, at + 18);
}

/** One zip (deflate, no extra fields) from pre-compressed entries. */
function buildZip(entries: PrecompressedEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    writeEntryFields(local, 8, e);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0, 8);
    writeEntryFields(dir, 10, e);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, e.name, e.compressed);
    central.push(dir, e.name);
    offset += 30 + e.name.length + e.compressed.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralBytes, end]);
}

function copyZip(entries: ZipEntryTemplate[], uai: Buffer): Buffer {
  return buildZip(entries.map((e) => {
    const head = patched(e.head, uai);
    const name = patched({ data: Buffer.from(e.name, 'latin1'), offsets: e.nameOffsets }, uai);
    // An empty tail: the head is the whole entry and ends the stream itself.
    const compressed = e.tail.length === 0
      ? zlib.deflateRawSync(head)
      : head.length === 0 ? e.tailDeflated : Buffer.concat([zlib.deflateRawSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH }), e.tailDeflated]);
    return { name, crc: zlib.crc32(e.tail, zlib.crc32(head)), size: head.length + e.tail.length, compressed, dosTime: e.dosTime, dosDate: e.dosDate };
  }));
}

/** Writes the school `uai` as a copy of `template` under `<dataDir>/schools/<uai>`; returns bytes written. */
export async function copySchool(template: Template, dataDir: string, uai: string, needs: Needs): Promise<number> {
  const target = Buffer.from(uai, 'latin1');
  const root = join(dataDir, 'schools', uai);
  let bytes = 0;
  const dirs = new Set<string>();
  for (const file of template.files) {
    if (needs === 'night' && !NIGHT_FILES.some((p) => p.test(file.path))) continue;
    const path = join(root, replaceAll(file.path, template.uai, uai));
    const dir = join(path, '..');
    if (!dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      dirs.add(dir);
    }
    const data = file.zip ? copyZip(file.zip, target) : patched(file.plain!, target);
    await writeFile(path, data);
    bytes += data.length;
  }
  if (needs === 'year') {
    // What SchoolFolders.ensure makes at registration: every application's three boxes.
    for (const app of ['sts', 'edt', 'siecle', 'pronote', 'lsu']) for (const box of ['inbox', 'outbox', 'reports']) await mkdir(join(root, app, box), { recursive: true });
  }
  return bytes;
}

/** Generates the templates with the real sandbox, in `processes` child processes; returns them loaded. */
export async function generateTemplates(dataDir: string, specs: TemplateSpec[], processes: number): Promise<Template[]> {
  const slices = Array.from({ length: processes }, (_, k) => specs.filter((_, i) => i % processes === k)).filter((s) => s.length > 0);
  const names = new Map((await Promise.all(slices.map((slice) => runTemplateChild(dataDir, slice)))).flat().map((s) => [s.uai, s.name]));
  const templates: Template[] = [];
  for (const spec of specs) {
    const dir = join(dataDir, 'schools', spec.uai);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new Error(`Modèle absent : ${spec.uai}.`);
    templates.push(await loadTemplate(dir, spec, names.get(spec.uai) ?? spec.uai));
  }
  return templates;
}

function runTemplateChild(dataDir: string, specs: TemplateSpec[]): Promise<{ uai: string; name: string }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--template-child', dataDir, JSON.stringify(specs)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`Génération des modèles en échec (code ${code ?? '?'}) : ${err.trim().split('\n').slice(-3).join(' ')}`));
      resolve(out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { uai: string; name: string }));
    });
  });
}

async function templateChild(dataDir: string, specsJson: string, millesime: number): Promise<void> {
  for (const spec of JSON.parse(specsJson) as TemplateSpec[]) {
    const school = await provisionSandboxSchool({ dataDir, millesime, ...spec });
    console.log(JSON.stringify({ uai: school.uai, name: school.name }));
  }
}

/** SIECLE base 2025 in use on 02/03/2026, as test/temporal/academy-sandbox.test.ts. */
export const BENCH_MILLESIME = 2025;

const childIndex = process.argv.indexOf('--template-child');
if (childIndex >= 0 && process.argv[1] === SELF) await templateChild(process.argv[childIndex + 1] ?? '', process.argv[childIndex + 2] ?? '[]', BENCH_MILLESIME);

