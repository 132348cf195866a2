// What every step gets, and the pieces they share: storing the picked file, checking the UAI and
// millésime a file carries against the school's (each application's own rule: in Nouvelle-Calédonie
// STS-Web writes SIECLE's millésime + 1), refusing bad data, and depositing exactly once.
import { readBoundedFile } from '../formats/bounded-read';
import type { ExchangeFile } from '../formats/detect';
import { parseSiecleHeader } from '../formats/parse-pool';
import type { SiecleKind } from '../formats/siecle-exports';
import type { EmpStsFile, FileHeader, FileKind, StsStructureFile } from '../formats/types';
import { StepRejected } from './rejected';
import { readStsChecked, type StsKind, type StsRead } from '../checks/sts-dtd';
import { ExchangeFileError } from '../formats/errors';
import type { Anomaly } from '../rules/anomaly';
import { millesimeOf, schoolYearOfMillesime, type Application as CalendarApplication } from '../rules/calendar';
import { parsedFiles } from './parsed-files';
import type { Application, FoundFile, StepContext, StepRequest, StoredFileRef } from './ports';

export type { StepContext, StepHandler } from './ports';

/** The folder of an application, as rules/calendar names it (millésime rules, deposits). */
export const CALENDAR_APPLICATION: Record<Application, CalendarApplication> = { sts: 'sts-web', edt: 'edt', siecle: 'siecle', pronote: 'pronote', lsu: 'lsu' };

/** The millésime `application` writes for the school year whose SIECLE millésime is given. */
export function millesimeFor(application: CalendarApplication, uai: string, siecleMillesime: number): number {
  return millesimeOf(application, schoolYearOfMillesime('siecle', uai, siecleMillesime));
}

/** Reads the picked file, keeps it in the content store and in the ledger (filed under the school year's SIECLE millésime, the key the steps run under, whatever year the file claims). */
export async function storeFound(ctx: StepContext, found: FoundFile, kind: FileKind, read?: Buffer): Promise<{ ref: StoredFileRef; bytes: Buffer }> {
  const bytes = read ?? (await readFound(found));
  const ref = await ctx.env.store.put(found.name, bytes);
  await ctx.ledger.recordFile(ref, kind);
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
  const claim = await ctx.ledger.claimDeposit(target, inputSha256);
  if (!claim.isNew) return false;
  try {
    for (const f of files) {
      if ('fromPath' in f) await ctx.outbox.copy(target, f.name, f.fromPath);
      else await ctx.outbox.write(target, f.name, f.bytes);
    }
  } catch (error) {
    await claim.cancel();
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

type StsData = { 'sts-edt': StsStructureFile; 'edt-sts': EmpStsFile };

/**
 * An sts_emp / emp_sts parsed once (checks/sts-dtd.ts) for its DTD and its content. A DTD Bloquant
 * stops the step (`refused`: "STS-Web → EDT refusé"…) before anything else is said of the file;
 * a file that cannot be read is Bloquant too (FICHIER_ILLISIBLE, as readAs says it). The DTD's root
 * check stands for readAs's kind check: a file of the other kind never gets past its DTD. The
 * content is kept in the worker's cache, where the later steps that read this file look.
 */
export async function readStsAs<K extends StsKind>(name: string, bytes: Uint8Array, kind: K, refused: string): Promise<{ data: StsData[K]; anomalies: Anomaly[] }> {
  let read: StsRead;
  try {
    read = await readStsChecked(name, bytes, kind);
  } catch (error) {
    throw unreadable(name, error);
  }
  rejectIfBlocking(refused, read.anomalies);
  if (read.error !== undefined || !read.data) throw unreadable(name, read.error);
  await parsedFiles.remember(name, bytes, { kind, data: read.data } as ExchangeFile, read.serialized);
  return { data: read.data as StsData[K], anomalies: read.anomalies };
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

export { schoolReference, siecleExports, type ReferenceNeeds } from './school-reference';
