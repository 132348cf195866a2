// What SIECLE / LSU will say of one file: detect its kind, run the deposit checks and, with a
// reference, the simulation (SIECLE's nightly élève-groupe processing, LSU's import report).
// Shared by `synchro check` (client/cli) and the connectors' steps (steps/), which use
// depositEleGroupe and checkLsuFile directly. checkFile never throws: a file that cannot be read
// at all (or whose validator failed) is "rejected" with one Bloquant anomaly naming the problem.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { isZip } from '../formats/archive.js';
import { readBoundedFile } from '../formats/bounded-read.js';
import { detectXmlKind, type DetectedKind } from '../formats/detect.js';
import { capBeforeKind, XML_CAPS } from '../formats/limits.js';
import { readLsuBilans } from '../formats/lsu-bilans.js';
import { assertLsuProlog, lsuValidatorFor, MAX_KEPT_VIOLATIONS, readHead, validateLsuBilansFile, type LsuFileValidation } from '../formats/lsu-schema.js';
import { detectFileKind, parseEleGroupe, parseExchangeFile } from '../formats/parse-pool.js';
import { ELEGROUPE_XSD, type SchemaValidation } from '../formats/schema.js';
import { assertReadableSize } from '../formats/xml.js';
import { SchemaValidatorFailure, type SchemaViolation } from '../formats/xmllint-stream.js';
import type { EleGroupeFile, FileHeader, IsoDate } from '../formats/types.js';
import type { Anomaly } from '../rules/anomaly.js';
import { countByLevel, hasAnomalies } from '../rules/anomaly.js';
import { checkGradedGroups, checkStructuresInSiecle, gradedGroupsOf } from '../rules/correspondences.js';
import { checkEleGroupeDeposit, type EleGroupeDepositResult } from '../rules/deposit.js';
import { simulateEleGroupeImport, type EleGroupeCounts, type EleGroupeImportReport } from '../rules/elegroupe-import.js';
import { createLsuImportChecker, LSU_MAX_BYTES, type LsuCounts, type LsuImportReport } from '../rules/lsu-import.js';
import { lsuSchemaAnomalies } from '../rules/lsu-schema.js';
import type { Reference } from './reference.js';
import { readStsChecked, type StsKind, type StsRead } from './sts-dtd.js';

/** Up to this size a file is read whole to detect its kind; an LSU file above it is streamed. */
const WHOLE_READ_MAX_BYTES = 20 * 1024 * 1024;

export type Verdict = 'accepted' | 'accepted-with-anomalies' | 'rejected';

export interface FileResult {
  file: string;
  /** 'reference': a file of the --reference folder that is there but could not be read. */
  kind: DetectedKind | 'unknown' | 'reference';
  uai?: string;
  millesime?: number;
  verdict: Verdict;
  anomalies: Anomaly[];
  counts: EleGroupeCounts | { periodic: LsuCounts; cycle: LsuCounts } | Record<string, never>;
  /** For the human rendering only (not in --json). */
  eleGroupe?: { report?: EleGroupeImportReport; file?: EleGroupeFile; deposited: boolean; xmlName: string; on: IsoDate };
  lsu?: LsuImportReport;
  header?: FileHeader;
}

export interface CheckOptions {
  reference?: Reference;
  uai?: string;
  on: IsoDate;
  /** False when the school never made an XML pupils export from SIECLE (SIECLE refuses the deposit). */
  pupilsExportDone?: boolean;
  /** Called after every LSU bilan read (a long import heartbeats from here). */
  onBilan?: () => void;
  /** Called every 10 s while an LSU file's XSD validation runs on after its last bilan. */
  onProgress?: () => void;
}

/** Rejected on a Bloquant; "with anomalies" as rules/anomaly.ts hasAnomalies says (Informatif does not count). */
export function verdictOf(anomalies: readonly Anomaly[]): Verdict {
  const counts = countByLevel(anomalies);
  return counts.blocking > 0 ? 'rejected' : hasAnomalies(counts) ? 'accepted-with-anomalies' : 'accepted';
}

function unreadable(file: string, kind: FileResult['kind'], error: unknown): FileResult {
  const message = error instanceof Error ? error.message : String(error);
  return { file, kind, verdict: 'rejected', anomalies: [{ code: 'FICHIER_ILLISIBLE', level: 'blocking', message, subject: { file } }], counts: {} };
}

export async function checkFile(path: string, options: CheckOptions): Promise<FileResult> {
  const file = basename(path);
  let bytes: Buffer;
  let kind: DetectedKind;
  try {
    // Bounded before anything is read: the size from stat against the cap the name allows.
    const size = (await stat(path)).size;
    assertReadableSize(file, size, capBeforeKind(file));
    const head = await readHead(path, 64 * 1024);
    if (!isZip(head) && size > WHOLE_READ_MAX_BYTES) {
      // A big XML: its kind from its first bytes, its size against that kind's cap; only LSU's
      // files may be that big, and they are streamed, never held whole.
      kind = detectXmlKind(file, { name: file, data: head });
      assertReadableSize(file, size, XML_CAPS[kind]);
      if (kind === 'lsu-bilans') return await checkLsu(path, file, size, head, options);
    }
    bytes = await readBoundedFile(path, file);
    kind = await detectFileKind(file, bytes);
    if (kind === 'lsu-bilans') return await checkLsu(path, file, size, bytes, options);
  } catch (error) {
    return unreadable(file, 'unknown', error);
  }
  if (kind === 'elegroupe') return checkEleGroupe(file, bytes, options);
  if (kind === 'sts-edt' || kind === 'edt-sts') return checkSts(file, bytes, kind, options);
  try {
    const read = await parseExchangeFile(file, bytes);
    const header = read.data.header as FileHeader;
    const anomalies: Anomaly[] = [];
    return { file, kind, uai: header.uai, millesime: header.millesime, verdict: verdictOf(anomalies), anomalies, counts: {}, header };
  } catch (error) {
    return unreadable(file, kind, error);
  }
}

/** sts_emp / emp_sts: their DTD (checks/sts-dtd.ts), then what the other files of the reference say. */
async function checkSts(file: string, bytes: Buffer, kind: StsKind, options: CheckOptions): Promise<FileResult> {
  let read: StsRead;
  try {
    read = await readStsChecked(file, bytes, kind);
  } catch (error) {
    return unreadable(file, kind, error);
  }
  const anomalies = [...read.anomalies];
  if (read.error !== undefined || !read.data) {
    const message = read.error instanceof Error ? read.error.message : String(read.error);
    anomalies.unshift({ code: 'FICHIER_ILLISIBLE', level: 'blocking', message, subject: { file } });
    return { file, kind, verdict: 'rejected', anomalies, counts: {} };
  }
  const ref = options.reference;
  if (read.kind === 'sts-edt' && read.data && ref?.structures) anomalies.push(...checkStructuresInSiecle(read.data, ref.structures));
  if (read.kind === 'edt-sts' && read.data && ref?.sts) anomalies.push(...checkGradedGroups(gradedGroupsOf(read.data), ref.sts));
  const header = read.data.header;
  return { file, kind, uai: header.uai, millesime: header.millesime, verdict: verdictOf(anomalies), anomalies, counts: {}, header };
}

export interface EleGroupeDeposit {
  deposit: EleGroupeDepositResult;
  /** The parsed file, when it could be read; `serialized`: the same as the worker's cache keeps it. */
  parsed?: EleGroupeFile;
  serialized?: Uint8Array;
  xmlName: string;
}

/** SIECLE's checks at deposit of an élève-groupe zip: name, year, XSD, UAI (rules/deposit.ts). */
export async function depositEleGroupe(file: string, bytes: Buffer, options: Pick<CheckOptions, 'uai' | 'on' | 'pupilsExportDone'>): Promise<EleGroupeDeposit> {
  let xmlName = file;
  let schema: SchemaValidation;
  let parsed: EleGroupeFile | undefined;
  let serialized: Uint8Array | undefined;
  try {
    // Opened (zip central directory first, caps), validated against the XSD and read, in a parse thread.
    const read = await parseEleGroupe(file, bytes, ELEGROUPE_XSD);
    xmlName = read.xmlName;
    schema = read.schema!;
    if (read.error !== undefined) throw new Error(read.error);
    parsed = read.parsed;
    serialized = read.serialized;
  } catch (error) {
    // SIECLE's answer to a file it cannot parse is its XSD refusal; the cause names the problem.
    schema = { valid: false, errors: [{ message: error instanceof Error ? error.message : String(error) }] };
  }
  const deposit = checkEleGroupeDeposit({
    zipName: file, xmlName, schema, ...(parsed && { file: parsed }), ...(options.uai && { schoolUai: options.uai }), on: options.on,
    ...(options.pupilsExportDone !== undefined && { pupilsExportDone: options.pupilsExportDone }),
  });
  return { deposit, ...(parsed && { parsed }), ...(serialized && { serialized }), xmlName };
}

async function checkEleGroupe(file: string, bytes: Buffer, options: CheckOptions): Promise<FileResult> {
  const { deposit, parsed, xmlName } = await depositEleGroupe(file, bytes, options);
  const ref = options.reference;
  const anomalies = [...deposit.anomalies];
  let report: EleGroupeImportReport | undefined;
  if (deposit.accepted && parsed && ref?.eleves) {
    report = simulateEleGroupeImport(parsed, { eleves: ref.eleves, ...(ref.structures && { structures: ref.structures }), ...(ref.communs && { communs: ref.communs }), fileName: file });
    anomalies.push(...report.anomalies);
  } else if (deposit.accepted && parsed) {
    anomalies.push({ code: 'SIMULATION_NON_FAITE', level: 'info', message: "Sans --reference (exports SIECLE de l'établissement), seul le dépôt est contrôlé : le traitement de nuit n'est pas simulé.", subject: { file } });
  }
  const read = parsed?.pupils.length ?? 0;
  const counts = report?.counts ?? { read, imported: 0, partial: 0, rejected: deposit.accepted ? 0 : read, absent: 0 };
  return {
    file, kind: 'elegroupe', ...(deposit.uai && { uai: deposit.uai }), ...(deposit.millesime !== undefined && { millesime: deposit.millesime }),
    verdict: verdictOf(anomalies), anomalies, counts, eleGroupe: { ...(report && { report }), ...(parsed && { file: parsed }), deposited: deposit.accepted, xmlName, on: options.on },
  };
}

async function checkLsu(path: string, file: string, size: number, bytes: Buffer, options: CheckOptions): Promise<FileResult> {
  const report = await checkLsuFile(path, file, size, bytes, options);
  return {
    file, kind: 'lsu-bilans', ...(report.uai && { uai: report.uai }), ...(report.millesime !== undefined && { millesime: report.millesime }),
    verdict: report.verdict, anomalies: report.anomalies, counts: { periodic: report.periodic, cycle: report.cycle }, lsu: report,
  };
}

/** libxml2's verdict completed with the XSD's ID/IDREF rules, which it does not check (formats/lsu-idrefs.ts). */
function withIdViolations(validation: LsuFileValidation, ids: { violations: SchemaViolation[]; more: number }): LsuFileValidation {
  if (ids.violations.length === 0) return validation;
  if (validation.status === 'not-validated') return validation; // the file is Bloquant already, for that reason
  const before = validation.status === 'invalid' ? validation : { violations: [], more: 0 };
  const violations = [...before.violations, ...ids.violations].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    status: 'invalid', validator: validation.validator, schemaVersion: validation.schemaVersion ?? '', ms: validation.ms,
    violations: violations.slice(0, MAX_KEPT_VIOLATIONS), more: before.more + ids.more + Math.max(0, violations.length - MAX_KEPT_VIOLATIONS),
  };
}

/** While the XSD validation runs on after the last bilan, the caller hears from it this often. */
const PROGRESS_EVERY_MS = 10_000;

/**
 * LSU's rapport d'exécution of one file on disk, streamed (bounded memory): its prolog checked
 * from `head` (at least its first 64 Kio), then its validation against the XSD of its
 * schemaVersion (formats/lsu-schema.ts, a libxml2 child process) and LSU's checks of every bilan
 * run side by side on the same path. A file the reader cannot read is rejected with the reader's
 * French message; a readable one that breaks its XSD is rejected with each violation's line and
 * element. Throws SchemaValidatorFailure (infrastructure: a step retries it) when the validator
 * itself fails.
 */
export async function checkLsuFile(path: string, file: string, size: number, head: Buffer, options: CheckOptions): Promise<LsuImportReport> {
  const headText = head.subarray(0, 64 * 1024).toString('utf8');
  const fileUai = /<(?:\w+:)?etablissement>\s*(\w{8})\s*</.exec(headText)?.[1];
  const ref = options.reference;
  const checker = createLsuImportChecker({
    uai: options.uai ?? fileUai ?? '', on: options.on, file, sizeBytes: size,
    ...(ref?.eleves && { eleves: ref.eleves }), ...(ref?.structures && { structures: ref.structures }), ...(ref?.communs && { communs: ref.communs }),
    ...(ref?.nomenclature && { nomenclature: ref.nomenclature }), ...(ref?.sts && { sts: ref.sts }), ...(ref?.state && { state: ref.state }),
  });
  const abort = new AbortController();
  let validation: Promise<LsuFileValidation> | undefined;
  try {
    if (isZip(head)) throw new Error("les fichiers d'import LSU doivent être au format XML (archive zip reçue).");
    assertLsuProlog(file, head);
    if (size <= LSU_MAX_BYTES) {
      // The WebAssembly fallback holds the file whole: then it runs alone, before the reader.
      const concurrent = (await lsuValidatorFor(size)) !== 'xmllint-wasm';
      validation = validateLsuBilansFile(path, size, head, { signal: abort.signal });
      validation.catch(() => undefined); // handled: awaited below, or dropped when the reader fails first
      if (!concurrent) await validation;
    }
    const result = await readLsuBilans(path, (b, refs) => {
      checker.onBilan(b, refs);
      options.onBilan?.();
    }, { fileName: file });
    const progress = options.onProgress && setInterval(options.onProgress, PROGRESS_EVERY_MS);
    try {
      const schema = validation ? withIdViolations(await validation, result.idViolations) : undefined;
      return checker.finish(result.header, schema ? lsuSchemaAnomalies(file, schema) : []);
    } finally {
      clearInterval(progress);
    }
  } catch (error) {
    if (error instanceof SchemaValidatorFailure) throw error;
    abort.abort(); // the reader's verdict stands; the validator's would only repeat it
    await validation?.catch(() => undefined);
    return checker.fail(error);
  }
}
