// "Check exactly the bytes we store": a file that arrives (dropped from the command line, uploaded
// on the portal) is first copied, once, into a private staging file while its sha256 is computed
// and its size held to the cap its name allows; that copy — which nobody else writes — is checked,
// and that same copy is moved into the inbox. Reading the source twice (once to check, once to
// copy) let a file replaced meanwhile land another school's export in the inbox.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { copyFileAtomic } from '../../connectors/content-store';
import { OFFICIAL_NAMES, SchoolFolders } from '../../connectors/school-folders';
import type { Application } from '../../connectors/types';
import { isZip } from '../../formats/archive';
import { readBoundedFile } from '../../formats/bounded-read';
import { detectXmlKind, type DetectedKind } from '../../formats/detect';
import { ExchangeFileError } from '../../formats/errors';
import { capBeforeKind, XML_CAPS } from '../../formats/limits';
import { readLsuBilans } from '../../formats/lsu-bilans';
import { readHead } from '../../formats/lsu-schema';
import { detectFileKind, parseExchangeFile } from '../../formats/parse-pool';
import { assertReadableSize } from '../../formats/xml';
import { ActionRefused } from './errors';

export interface AcceptedFile {
  uai: string;
  kind: DetectedKind;
  application: Application;
  /** Where it now is, in the school's inbox. */
  path: string;
  /** Of the bytes checked and stored (what the fileArrived signal carries). */
  sha256: string;
  bytes: number;
}

/** A staged copy: private to this process until accepted (moved) or removed. */
export interface StagedFile {
  path: string;
  name: string;
  sha256: string;
  bytes: number;
}

const ROUTES: Partial<Record<DetectedKind, { application: Application; name: RegExp; example: string }>> = {
  'sts-edt': { application: 'sts', name: OFFICIAL_NAMES.stsEmp, example: 'sts_emp_<UAI>_<AAAA>.xml' },
  'edt-sts': { application: 'edt', name: OFFICIAL_NAMES.empSts, example: 'emp_sts_<UAI>_<AAAA>.xml' },
  elegroupe: { application: 'pronote', name: OFFICIAL_NAMES.eleGroupe, example: '<UAI>ELEGROUPE<AAAA><AAMMJJhhmmss>.zip' },
  'lsu-bilans': { application: 'lsu', name: OFFICIAL_NAMES.lsu, example: 'import_lsu_<aaaammjjhhmmss>.xml' },
};
const SIECLE = { application: 'siecle' as const, name: OFFICIAL_NAMES.siecleExport, example: 'ExportXML_<Nom>.zip' };

/** Above this size an XML is read by streaming only (LSU's files); smaller files are checked whole. */
const WHOLE_MAX_BYTES = 20 * 1024 * 1024;

/** The staging folder of a school: in its own folder, so that the final move is a rename. */
export function stagingDir(folders: SchoolFolders): string {
  return join(folders.root, '.incoming');
}

/**
 * Copies `source` (a stream: an upload's body, a file on disk) into a staging file of the school,
 * hashing it on the way and stopping past the cap `name` allows (nothing bigger is ever written).
 */
export async function stageFile(folders: SchoolFolders, name: string, source: Readable): Promise<StagedFile> {
  const cap = capBeforeKind(name);
  await mkdir(stagingDir(folders), { recursive: true });
  const path = join(stagingDir(folders), `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > cap) return done(new ExchangeFileError(name, 'too-large', `le fichier dépasse la limite de ${cap / 1024 / 1024} Mo.`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(path, { flags: 'wx' }));
    assertReadableSize(name, bytes, cap);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return { path, name, sha256: hash.digest('hex'), bytes };
}

/** stageFile from a file on disk, refused from its `stat` size before any byte is read. */
export async function stageFromPath(folders: SchoolFolders, name: string, sourcePath: string): Promise<StagedFile> {
  assertReadableSize(name, (await stat(sourcePath)).size, capBeforeKind(name));
  return stageFile(folders, name, createReadStream(sourcePath));
}

/** The kind and UAI of a staged file, read from that file only. */
async function kindAndUai(staged: StagedFile): Promise<{ kind: DetectedKind; owner: string }> {
  const { path, name, bytes: size } = staged;
  const head = await readHead(path);
  if (!isZip(head) && size > WHOLE_MAX_BYTES) {
    const kind = detectXmlKind(name, { name, data: head });
    assertReadableSize(name, size, XML_CAPS[kind]); // only LSU's files may be this big
    return { kind, owner: (await readLsuBilans(createReadStream(path), () => undefined, { fileName: name })).header.uai };
  }
  const bytes = await readBoundedFile(path, name);
  const kind = await detectFileKind(name, bytes);
  if (kind === 'lsu-bilans') return { kind, owner: (await readLsuBilans(createReadStream(path), () => undefined, { fileName: name })).header.uai };
  routeOf(name, kind); // route and name first: a file no step takes is not parsed at all
  return { kind, owner: (await parseExchangeFile(name, bytes)).data.header.uai };
}

function routeOf(name: string, kind: DetectedKind): { application: Application; name: RegExp; example: string } {
  const route = ROUTES[kind] ?? (kind.startsWith('siecle-') && kind !== 'siecle-prive' ? SIECLE : undefined);
  if (!route) throw new ActionRefused('conflict', `${name} : fichier ${kind} reconnu, mais aucune étape de la chaîne ne le prend.`);
  if (!route.name.test(name)) throw new ActionRefused('conflict', `${name} : nom attendu ${route.example} (le connecteur ne cherche que les noms officiels).`);
  return route;
}

/**
 * Checks a staged file (kind by content, official name, the school's own UAI) and moves that very
 * file into the school's inbox. The staged file is consumed: moved when accepted, removed when
 * refused. The portal's upload stages the request body with stageFile, then calls this.
 */
export async function acceptFile(dataDir: string, uai: string, staged: StagedFile): Promise<AcceptedFile> {
  const folders = new SchoolFolders(dataDir, uai);
  try {
    const { kind, owner } = await kindAndUai(staged);
    const route = routeOf(staged.name, kind);
    if (owner.toUpperCase() !== uai.toUpperCase()) throw new ActionRefused('conflict', `${staged.name} : fichier de l'établissement ${owner}, pas de ${uai}.`);
    if (/[\\/]/.test(staged.name) || staged.name.startsWith('.')) throw new ActionRefused('conflict', `Nom de fichier refusé : « ${staged.name} ».`);
    await mkdir(folders.dir(route.application, 'inbox'), { recursive: true });
    const target = folders.path(route.application, 'inbox', staged.name);
    try {
      await rename(staged.path, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFileAtomic(staged.path, target); // staged on another file system
    }
    return { uai, kind, application: route.application, path: target, sha256: staged.sha256, bytes: staged.bytes };
  } finally {
    await rm(staged.path, { force: true });
  }
}
