// What every step gets, and the pieces they share: storing the picked file, checking the UAI and
// millésime a file carries against the school's (each application's own rule: in Nouvelle-Calédonie
// STS-Web writes SIECLE's millésime + 1), refusing bad data, and depositing exactly once.
import { loadReferenceFiles, type Reference } from '../checks/reference';
import { readBoundedFile } from '../formats/bounded-read';
import type { ExchangeFile } from '../formats/detect';
import { parseSiecleHeader } from '../formats/parse-pool';
import type { SiecleKind } from '../formats/siecle-exports';
import type { FileHeader, FileKind } from '../formats/types';
import type { Db } from '../db/client';
import { cancelDeposit, recordDeposit } from '../db/queries/deposits';
import { recordExchangeFile } from '../db/queries/exchange-files';
import { StepRejected } from './rejected';
import { ExchangeFileError } from '../formats/errors';
import type { Anomaly } from '../rules/anomaly';
import { millesimeOf, schoolYearOfMillesime, type Application as CalendarApplication } from '../rules/calendar';
import { parsedFiles } from '../connectors/parsed-files';
import { LSU_STATE_FILE, OFFICIAL_NAMES, type FoundFile, type SchoolFolders } from '../connectors/school-folders';
import type { Application, StepEnvironment, StepOutcome, StepRequest, StoredFileRef } from '../connectors/types';

export interface StepContext {
  request: StepRequest;
  env: StepEnvironment;
  db: Db;
  folders: SchoolFolders;
}

export type StepHandler = (ctx: StepContext) => Promise<StepOutcome>;

/** The folder of an application, as rules/calendar names it (millésime rules, deposits). */
export const CALENDAR_APPLICATION: Record<Application, CalendarApplication> = { sts: 'sts-web', edt: 'edt', siecle: 'siecle', pronote: 'pronote', lsu: 'lsu' };

/** The millésime `application` writes for the school year whose SIECLE millésime is given. */
export function millesimeFor(application: CalendarApplication, uai: string, siecleMillesime: number): number {
  return millesimeOf(application, schoolYearOfMillesime('siecle', uai, siecleMillesime));
}

/** Reads the picked file, keeps it in the content store and remembers it in the database (filed under the school year's SIECLE millésime, the key the steps run under, whatever year the file claims). */
export async function storeFound(ctx: StepContext, found: FoundFile, kind: FileKind, read?: Buffer): Promise<{ ref: StoredFileRef; bytes: Buffer }> {
  const bytes = read ?? (await readFound(found));
  const ref = await ctx.env.store.put(found.name, bytes);
  await recordExchangeFile(ctx.db, {
    sha256: ref.sha256, uai: ctx.request.uai, kind, millesime: ctx.request.millesime, originalName: found.name, bytes: ref.bytes, storageKey: ref.key,
  });
  return { ref, bytes };
}

/**
 * The UAI and millésime a file carries, against the school's. Blocking: handing another school's
 * or another year's file to the next application is exactly the mistake the chain exists to stop.
 * Codes are the generator's expectations (generators/faults.ts) where no application has a message.
 */
export function checkStamp(file: string, stamp: { uai: string; millesime: number }, request: Pick<StepRequest, 'uai' | 'millesime'>, application: CalendarApplication): Anomaly[] {
  const out: Anomaly[] = [];
  if (stamp.uai !== request.uai) {
    out.push({
      code: 'UAI_DIFFERENT', level: 'blocking', message: `Le fichier concerne l'établissement ${stamp.uai}, pas ${request.uai}.`,
      cause: "Fichier exporté depuis la base d'un autre établissement.", correction: "Exporter de nouveau le fichier depuis l'application de l'établissement.", subject: { file },
    });
  }
  const expected = millesimeFor(application, request.uai, request.millesime);
  if (stamp.millesime !== expected) {
    out.push({
      code: 'MILLESIME_DIFFERENT', level: 'blocking',
      message: `Le fichier porte le millésime ${stamp.millesime} : pour l'année scolaire en cours (SIECLE ${request.millesime}), ${application} écrit ${expected}.`,
      cause: "Fichier exporté depuis la base d'une autre année (en mai, deux bases coexistent).", correction: "Exporter de nouveau le fichier depuis la base de l'année en cours.", subject: { file },
    });
  }
  return out;
}

/** Bad data stops the step here, with its anomalies (the activity fails it without retry). */
export function rejectIfBlocking(what: string, anomalies: Anomaly[]): void {
  const blocking = anomalies.filter((a) => a.level === 'blocking');
  if (blocking.length > 0) throw new StepRejected(`${what} : ${blocking[0]!.message}`, anomalies);
}

/**
 * Writes `files` to the target application's outbox, once per (UAI, millésime, step, input sha256):
 * the database row is claimed first, the claim is given back if the write fails (a retry claims
 * again). Returns false when another run (a retry, a concurrent run) had already deposited it.
 * A crash between claim and write leaves the claim: the outbox is consumed by the application, so
 * writing again could deposit twice; a new export (new sha256) is the way out.
 */
export type OutboxFile = { name: string; bytes: Uint8Array | string } | { name: string; fromPath: string };

export async function depositOnce(ctx: StepContext, target: Application, inputSha256: string, files: readonly OutboxFile[]): Promise<boolean> {
  const { uai, millesime, step } = ctx.request;
  const claim = await recordDeposit(ctx.db, { uai, millesime, step, inputSha256, targetApplication: CALENDAR_APPLICATION[target] });
  if (!claim.isNew) return false;
  try {
    for (const f of files) {
      if ('fromPath' in f) await ctx.folders.copy(target, 'outbox', f.name, f.fromPath);
      else await ctx.folders.write(target, 'outbox', f.name, f.bytes);
    }
  } catch (error) {
    await cancelDeposit(ctx.db, claim.deposit.id);
    throw error;
  }
  return true;
}

/** A found file's bytes, bounded before reading (formats/limits.ts): too big is bad data (Bloquant), not a retry. */
export async function readFound(found: FoundFile): Promise<Buffer> {
  try {
    return await readBoundedFile(found.path, found.name);
  } catch (error) {
    if (error instanceof ExchangeFileError) throw unreadable(found.name, error);
    throw error;
  }
}

/** An unreadable file, or a file of another kind than expected, is bad data (Bloquant). */
function unreadable(name: string, error: unknown): StepRejected {
  return new StepRejected(`Fichier illisible : ${name}`, [{ code: 'FICHIER_ILLISIBLE', level: 'blocking', message: error instanceof Error ? error.message : String(error), subject: { file: name } }]);
}

function assertKind<K extends string>(name: string, kind: string, kinds: readonly K[]): asserts kind is K {
  if (!(kinds as readonly string[]).includes(kind)) {
    throw new StepRejected(`Fichier inattendu : ${name}`, [{ code: 'FICHIER_INATTENDU', level: 'blocking', message: `${name} : fichier de type ${kind}, ${kinds.join(' ou ')} attendu.`, subject: { file: name } }]);
  }
}

/** Reads an exchange file of the expected kind. */
export async function readAs<K extends ExchangeFile['kind']>(name: string, bytes: Uint8Array, kinds: readonly K[]): Promise<ExchangeFile & { kind: K }> {
  let read: ExchangeFile;
  try {
    read = await parsedFiles.read(name, bytes);
  } catch (error) {
    throw unreadable(name, error);
  }
  assertKind(name, read.kind, kinds);
  return read as ExchangeFile & { kind: K };
}

/** The kind and header of a SIECLE export of the expected kinds, read no further than its header (in a parse thread). */
export async function readSiecleHeaderAs<K extends SiecleKind>(name: string, bytes: Uint8Array, kinds: readonly K[]): Promise<FileHeader & { kind: K }> {
  let read: { kind: string; header?: FileHeader };
  try {
    read = await parseSiecleHeader(name, bytes, kinds);
  } catch (error) {
    throw unreadable(name, error);
  }
  assertKind(name, read.kind, kinds);
  return read.header as FileHeader & { kind: K };
}

/** The SIECLE exports, newest first per export name, as found in siecle/inbox. */
export async function siecleExports(folders: SchoolFolders): Promise<FoundFile[]> {
  const newest = new Map<string, FoundFile>();
  for (const f of await folders.list('siecle', 'inbox', OFFICIAL_NAMES.siecleExport)) if (!newest.has(f.name.toLowerCase())) newest.set(f.name.toLowerCase(), f);
  return [...newest.values()];
}

/** What a step reads of the school's reference: the SIECLE exports named, sts_emp, LSU's state. */
export interface ReferenceNeeds {
  /** Export names as in ExportXML_<Name>.zip; "Eleves" covers Eleves(Sans|Avec)Adresses. */
  siecle: readonly ('Eleves' | 'Structures' | 'Communs' | 'Nomenclature')[];
  sts?: boolean;
  state?: boolean;
}

/**
 * The school's reference data from its inboxes, limited to what the step uses (parsing a lycée's
 * pupils or responsables export costs tenths of a second, paid by every school of the académie):
 * SIECLE's exports, STS-Web's newest sts_emp and LSU's state, as `synchro check --reference`
 * reads them from a folder (checks/reference.ts).
 */
export async function schoolReference(folders: SchoolFolders, needs: ReferenceNeeds): Promise<Reference> {
  const wanted = new RegExp(`^ExportXML_(${needs.siecle.join('|')})`, 'i');
  const files = (await siecleExports(folders)).filter((f) => wanted.test(f.name));
  const sts = needs.sts ? await folders.newest('sts', 'inbox', OFFICIAL_NAMES.stsEmp) : undefined;
  if (sts) files.push(sts);
  const state = needs.state ? await folders.newest('lsu', 'inbox', new RegExp(`^${LSU_STATE_FILE.replace('.', '\\.')}$`)) : undefined;
  if (state) files.push(state);
  // ElevesAvecAdresses sorts before ElevesSansAdresses: the first of each kind wins. I/O errors are
  // thrown (Temporal retries); a file there but unreadable fails the step at once, named.
  const ref = await loadReferenceFiles(files.sort((a, b) => a.name.localeCompare(b.name)).map((f) => ({ path: f.path, name: f.name })), (name, bytes) => parsedFiles.read(name, bytes), { ioErrors: 'throw' });
  if (ref.unreadable.length > 0) throw new StepRejected(ref.unreadable[0]!.anomaly.message, ref.unreadable.map((u) => u.anomaly));
  return ref;
}
