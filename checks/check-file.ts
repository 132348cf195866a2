// What SIECLE / LSU will say of one file: detect its kind, run the deposit checks and, with a
// reference, the simulation (SIECLE's nightly élève-groupe processing, LSU's import report).
// Shared by `synchro check` (client/cli) and the connectors' steps (connectors/steps), which use
// depositEleGroupe and checkLsuFile directly. checkFile never throws: a file that cannot be read
// at all is "rejected" with one Bloquant anomaly naming the problem.
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { isZip } from '../formats/archive.js';
import { readBoundedFile } from '../formats/bounded-read.js';
import { detectXmlKind, type DetectedKind } from '../formats/detect.js';
import { capBeforeKind, XML_CAPS } from '../formats/limits.js';
import { readLsuBilans } from '../formats/lsu-bilans.js';
import { detectFileKind, parseEleGroupe, parseExchangeFile } from '../formats/parse-pool.js';
import { assertReadableSize } from '../formats/xml.js';
import { validateEleGroupe, validateLsuBilans, type SchemaValidation } from '../formats/schema.js';
import type { EleGroupeFile, FileHeader, IsoDate } from '../formats/types.js';
import type { Anomaly } from '../rules/anomaly.js';
import { worstLevel } from '../rules/anomaly.js';
import { checkGradedGroups, checkStructuresInSiecle, gradedGroupsOf } from '../rules/correspondences.js';
import { checkEleGroupeDeposit, type EleGroupeDepositResult } from '../rules/deposit.js';
import { simulateEleGroupeImport, type EleGroupeCounts, type EleGroupeImportReport } from '../rules/elegroupe-import.js';
import { createLsuImportChecker, type LsuCounts, type LsuImportReport } from '../rules/lsu-import.js';
import type { Reference } from './reference.js';

/** Above this size an LSU file is not validated against its XSD here (xmllint holds it whole). */
const LSU_XSD_MAX_BYTES = 20 * 1024 * 1024;

export type Verdict = 'accepted' | 'accepted-with-anomalies' | 'rejected';

export interface FileResult {
  file: string;
  kind: DetectedKind | 'unknown';
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
}

export function verdictOf(anomalies: readonly Anomaly[]): Verdict {
  const worst = worstLevel(anomalies.filter((a) => a.level !== 'info'));
  return worst === 'blocking' ? 'rejected' : worst === undefined ? 'accepted' : 'accepted-with-anomalies';
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
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
    if (!isZip(head) && size > LSU_XSD_MAX_BYTES) {
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
  try {
    const read = await parseExchangeFile(file, bytes);
    const header = read.data.header as FileHeader;
    const anomalies: Anomaly[] = [];
    const ref = options.reference;
    if (read.kind === 'sts-edt' && ref?.structures) anomalies.push(...checkStructuresInSiecle(read.data, ref.structures));
    if (read.kind === 'edt-sts' && ref?.sts) anomalies.push(...checkGradedGroups(gradedGroupsOf(read.data), ref.sts));
    return { file, kind, uai: header.uai, millesime: header.millesime, verdict: verdictOf(anomalies), anomalies, counts: {}, header };
  } catch (error) {
    return unreadable(file, kind, error);
  }
}

export interface EleGroupeDeposit {
  deposit: EleGroupeDepositResult;
  /** The parsed file, when it could be read. */
  parsed?: EleGroupeFile;
  xmlName: string;
}

/** SIECLE's checks at deposit of an élève-groupe zip: name, year, XSD, UAI (rules/deposit.ts). */
export async function depositEleGroupe(file: string, bytes: Buffer, options: Pick<CheckOptions, 'uai' | 'on' | 'pupilsExportDone'>): Promise<EleGroupeDeposit> {
  let xmlName = file;
  let schema: SchemaValidation;
  let parsed: EleGroupeFile | undefined;
  try {
    // Opened (zip central directory first, caps) and read in a parse thread; the XSD after.
    const read = await parseEleGroupe(file, bytes);
    xmlName = read.xmlName;
    schema = await validateEleGroupe(read.xmlName, read.xml);
    if (read.error !== undefined) throw new Error(read.error);
    parsed = read.parsed;
  } catch (error) {
    // SIECLE's answer to a file it cannot parse is its XSD refusal; the cause names the problem.
    schema = { valid: false, errors: [{ message: error instanceof Error ? error.message : String(error) }] };
  }
  const deposit = checkEleGroupeDeposit({
    zipName: file, xmlName, schema, ...(parsed && { file: parsed }), ...(options.uai && { schoolUai: options.uai }), on: options.on,
    ...(options.pupilsExportDone !== undefined && { pupilsExportDone: options.pupilsExportDone }),
  });
  return { deposit, ...(parsed && { parsed }), xmlName };
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

/**
 * LSU's rapport d'exécution of one file on disk, streamed (bounded memory). `head` holds at least
 * the file's first 64 Kio (its whole content when small enough to be validated against the XSD).
 */
export async function checkLsuFile(path: string, file: string, size: number, head: Buffer, options: CheckOptions): Promise<LsuImportReport> {
  const bytes = size <= LSU_XSD_MAX_BYTES && head.length < size ? await readFile(path) : head;
  const headText = bytes.subarray(0, 64 * 1024).toString('utf8');
  const fileUai = /<(?:\w+:)?etablissement>\s*(\w{8})\s*</.exec(headText)?.[1];
  const ref = options.reference;
  const checker = createLsuImportChecker({
    uai: options.uai ?? fileUai ?? '', on: options.on, file, sizeBytes: size,
    ...(ref?.eleves && { eleves: ref.eleves }), ...(ref?.structures && { structures: ref.structures }), ...(ref?.communs && { communs: ref.communs }),
    ...(ref?.nomenclature && { nomenclature: ref.nomenclature }), ...(ref?.sts && { sts: ref.sts }), ...(ref?.state && { state: ref.state }),
  });
  let report: LsuImportReport;
  try {
    if (isZip(bytes)) throw new Error("les fichiers d'import LSU doivent être au format XML (archive zip reçue).");
    if (size <= LSU_XSD_MAX_BYTES) {
      const schema = await validateLsuBilans(file, bytes);
      const first = schema.errors[0];
      if (!schema.valid) throw new Error(`fichier non conforme au schéma LSU${first?.line ? ` (ligne ${first.line})` : ''} : ${first?.message ?? 'erreur inconnue'}`);
    }
    const result = await readLsuBilans(path, (b, refs) => {
      checker.onBilan(b, refs);
      options.onBilan?.();
    }, { fileName: file });
    report = checker.finish(result.header);
  } catch (error) {
    report = checker.fail(error);
  }
  return report;
}
