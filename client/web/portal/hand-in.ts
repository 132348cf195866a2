// A school's staff hand in one exported file (the portal's upload): it is already on disk (streamed
// there, never held whole), is recognised by its content and checked exactly as `synchro check`
// checks it (checks/check-file.ts, with the school's reference exports from its inboxes), then
// refused with the reason — another school's file, another millésime, another application, what
// SIECLE or LSU would refuse — or put in the school's inbox through `synchro drop`'s own code path
// (client/actions/drop-file.ts), and the school's year is told (fileArrived). Only the file's
// official name and sha256 travel to Temporal, never its bytes.
import type { Client } from '@temporalio/client';
import { open, readFile } from 'node:fs/promises';
import { checkFile, verdictOf, type FileResult } from '../../../checks/check-file';
import { loadReferenceFiles, type Reference } from '../../../checks/reference';
import { LSU_STATE_FILE, OFFICIAL_NAMES, SchoolFolders, type FoundFile } from '../../../connectors/school-folders';
import { isZip } from '../../../formats/archive';
import { detectKind, type DetectedKind } from '../../../formats/detect';
import type { Anomaly } from '../../../rules/anomaly';
import type { FileArrived } from '../../../workflows/messages';
import type { StepId } from '../../../workflows/steps';
import { STEP_GUIDANCE, stepForKind } from './guidance';
import { fileMillesime } from './school-year';
import { dropFile } from '../../actions/drop-file';
import { notifyFileArrived } from '../../actions/file-arrived';
import { ActionRefused } from '../../actions/errors';
import { STEP_LABELS } from '../../actions/labels';

export interface HandInRequest {
  dataDir: string;
  uai: string;
  /** SIECLE millésime of the school year the file is handed in for. */
  millesime: number;
  /** The file on disk, under its original name (basename = the name the staff's browser sent). */
  path: string;
  sha256: string;
  /** Business date YYYY-MM-DD of the deposit (SIECLE's deposit checks use it). */
  on: string;
  /** The step whose zone the file was dropped on: a file of another application is refused. */
  step?: StepId;
  temporal?: Client;
}

export type Signalled = 'sent' | 'not-running' | 'no-temporal';

export interface HandInResult {
  result: FileResult;
  deposited: boolean;
  /** Why the file was not deposited (French), when it was not. */
  refusal?: string;
  application?: FileArrived['application'];
  step?: StepId;
  signalled?: Signalled;
}

const SIECLE_NEEDS = { elegroupe: ['Eleves', 'Structures', 'Communs'], 'lsu-bilans': ['Eleves', 'Structures', 'Communs', 'Nomenclature'], 'sts-edt': ['Structures'] } as const;

async function kindOf(path: string, name: string): Promise<DetectedKind | undefined> {
  try {
    const handle = await open(path, 'r');
    let head: Buffer;
    try {
      const buffer = Buffer.alloc(64 * 1024);
      head = buffer.subarray(0, (await handle.read(buffer, 0, buffer.length, 0)).bytesRead);
    } finally {
      await handle.close();
    }
    // Awaited here: a rejected detection is caught below, not thrown past this function.
    return await detectKind(name, isZip(head) ? await readFile(path) : head);
  } catch {
    return undefined; // checkFile says why, as `synchro check` does
  }
}

/** The school's reference for this kind of file, from its inboxes (newest export of each name). */
async function referenceFor(folders: SchoolFolders, kind: DetectedKind | undefined): Promise<{ reference?: Reference; pupilsExportDone: boolean }> {
  const exports = await folders.list('siecle', 'inbox', OFFICIAL_NAMES.siecleExport);
  const pupilsExportDone = exports.some((f) => /^ExportXML_Eleves/i.test(f.name));
  const needs = kind === 'elegroupe' || kind === 'lsu-bilans' || kind === 'sts-edt' ? SIECLE_NEEDS[kind] : [];
  const newest = new Map<string, FoundFile>();
  for (const f of exports) if (needs.some((n) => f.name.toLowerCase().startsWith(`exportxml_${n.toLowerCase()}`)) && !newest.has(f.name.toLowerCase())) newest.set(f.name.toLowerCase(), f);
  const files = [...newest.values()];
  if (kind === 'edt-sts' || kind === 'lsu-bilans') {
    const sts = await folders.newest('sts', 'inbox', OFFICIAL_NAMES.stsEmp);
    if (sts) files.push(sts);
  }
  if (kind === 'lsu-bilans') {
    const state = await folders.newest('lsu', 'inbox', new RegExp(`^${LSU_STATE_FILE.replace('.', '\\.')}$`));
    if (state) files.push(state);
  }
  if (files.length === 0) return { pupilsExportDone };
  // ElevesAvecAdresses sorts before ElevesSansAdresses: the first of each kind wins (checks/reference.ts).
  const reference = await loadReferenceFiles(files.sort((a, b) => a.name.localeCompare(b.name)).map((f) => ({ path: f.path, name: f.name })));
  return { reference, pupilsExportDone };
}

const refusal = (code: string, message: string, file: string, cause: string, correction: string): Anomaly => ({ code, level: 'blocking', message, cause, correction, subject: { file } });

/** The portal's own refusals, added to the report (Bloquant) so that it says why, like the rest. */
function portalRefusals(result: FileResult, request: HandInRequest, step: StepId | undefined): Anomaly[] {
  const out: Anomaly[] = [];
  const { file } = result;
  if (result.kind === 'unknown') return out;
  if (!step) {
    out.push(refusal('FICHIER_INATTENDU', `${file} : fichier ${result.kind} reconnu, mais aucune étape de la chaîne ne le prend.`, file, "Ce fichier n'est lu par aucune étape de la chaîne.", "Déposer l'export demandé par l'étape (voir « À faire » sur cette page)."));
    return out;
  }
  if (request.step && request.step !== step) {
    const g = STEP_GUIDANCE[request.step];
    out.push(refusal('APPLICATION_DIFFERENTE', `${file} : fichier de l'étape « ${STEP_LABELS[step]} », pas de l'étape « ${STEP_LABELS[request.step]} » (${g.export.application}).`, file, "Fichier déposé dans la zone d'une autre étape.", `Pour cette étape : ${g.export.menu ?? g.export.application}.`));
  }
  if (result.uai && result.uai.toUpperCase() !== request.uai.toUpperCase()) {
    out.push(refusal('UAI_DIFFERENT', `${file} : fichier de l'établissement ${result.uai}, pas de ${request.uai}.`, file, "Fichier exporté depuis la base d'un autre établissement.", "Exporter de nouveau le fichier depuis l'application de l'établissement."));
  }
  const expected = fileMillesime(step, request.uai, request.millesime);
  if (result.millesime !== undefined && result.millesime !== expected) {
    out.push(refusal('MILLESIME_DIFFERENT', `${file} : millésime ${result.millesime}, ${expected} attendu pour l'année scolaire ${request.millesime}-${request.millesime + 1}.`, file, "Fichier exporté depuis la base d'une autre année (en mai, deux bases coexistent).", "Exporter de nouveau le fichier depuis la base de l'année en cours."));
  }
  return out;
}

// The same wake as `synchro drop`'s (client/actions/file-arrived.ts), for the one year the file
// was handed in for: no running year is not an error, the file waits in its inbox for the next run.
async function signal(client: Client | undefined, uai: string, millesime: number, arrived: FileArrived): Promise<Signalled> {
  if (!client) return 'no-temporal';
  return (await notifyFileArrived(client, uai, arrived, [millesime])).length > 0 ? 'sent' : 'not-running';
}

export async function handInFile(request: HandInRequest): Promise<HandInResult> {
  const folders = new SchoolFolders(request.dataDir, request.uai);
  const kind = await kindOf(request.path, request.path.split('/').pop()!);
  const { reference, pupilsExportDone } = await referenceFor(folders, kind);
  const result = await checkFile(request.path, { uai: request.uai, on: request.on, pupilsExportDone, ...(reference && { reference }) });
  const step = result.kind === 'unknown' || result.kind === 'reference' ? undefined : stepForKind(result.kind);
  const refusals = portalRefusals(result, request, step);
  if (refusals.length > 0) {
    result.anomalies.unshift(...refusals);
    result.verdict = verdictOf(result.anomalies);
  }
  const base = { result, ...(step && { step }) };
  if (result.verdict === 'rejected') {
    const first = result.anomalies.find((a) => a.level === 'blocking');
    return { ...base, deposited: false, refusal: first?.message ?? 'Fichier refusé.' };
  }
  let application: FileArrived['application'];
  try {
    application = (await dropFile(request.dataDir, request.uai, request.path)).application;
  } catch (error) {
    if (error instanceof ActionRefused) return { ...base, deposited: false, refusal: error.message };
    throw error;
  }
  const name = request.path.split('/').pop()!;
  const signalled = await signal(request.temporal, request.uai, request.millesime, { application, name, sha256: request.sha256 });
  return { ...base, deposited: true, application, signalled };
}
