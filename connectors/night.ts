// SIECLE's night for one school: the newest élève-groupe zip deposited in siecle/outbox (a newer
// deposit replaces an older one: SIECLE's import is "annule et remplace") is processed against the
// school's SIECLE exports (rules/elegroupe-import.ts), and the compte-rendu is written to
// siecle/reports as JSON.
//
// Exactly once: the processing is claimed with a deposits row under the pseudo-step
// 'pronote-siecle-elegroupe-night' (db/queries/deposits.ts recordNightProcessing), keyed by the
// file's sha256. The compte-rendu is written BEFORE the claim: it is a pure function of the file
// and the exports, so a race or a crash writes the same bytes again, while a crash after the claim
// can never leave a claimed night without its compte-rendu. Only the caller whose claim is new
// processes; a retry of the same night gets the same compte-rendu back (replayed: true), any
// later night gets processed: false.
import { readFile } from 'node:fs/promises';
import { findNightProcessing, recordNightProcessing } from '../db/queries/deposits';
import type { Db } from '../db/client';
import { parseEleGroupeFileName } from '../formats/elegroupe';
import { parseEleGroupe } from '../formats/parse-pool';
import { countByLevel, type Anomaly } from '../rules/anomaly';
import { simulateEleGroupeImport, type EleGroupeImportReport } from '../rules/elegroupe-import';
import { sha256Of } from './content-store';
import { folderPorts, OFFICIAL_NAMES, type FoundFile, SchoolFolders } from './school-folders';
import { parsedFiles } from '../steps/parsed-files';
import { schoolReference } from '../steps/school-reference';
import type { EleGroupeFile } from '../formats/types';
import type { NightResult, StepEnvironment } from './types';

export interface NightRequest {
  uai: string;
  millesime: number;
  night: string;
}

/** What the compte-rendu JSON holds: counts and anomalies, pupils by identifier only (no names). */
export interface NightReport {
  file: string;
  sha256: string;
  night: string;
  counts: EleGroupeImportReport['counts'];
  period?: EleGroupeImportReport['period'];
  pupils: { id: string; eleveId?: string; class: string; codes: string[] }[];
  links: number;
  removedLinks: number;
  anomalies: Anomaly[];
}

const reportName = (zipName: string): string => `compte-rendu-${zipName.replace(/\.zip$/i, '')}.json`;

/** The newest élève-groupe deposit of that school and millésime, whether processed or not. */
async function newestDeposit(folders: SchoolFolders, millesime: number): Promise<FoundFile | undefined> {
  const all = await folders.list('siecle', 'outbox', OFFICIAL_NAMES.eleGroupe);
  // Newest by the time stamp in the official name (PRONOTE's export time), not by the disk.
  const mine = all
    .map((f) => ({ f, name: parseEleGroupeFileName(f.name) }))
    .filter((x) => x.name?.uai === folders.uai && x.name.millesime === millesime)
    .sort((a, b) => b.name!.timestamp.localeCompare(a.name!.timestamp));
  return mine[0]?.f;
}

export async function hasWaitingDeposit(db: Db, dataDir: string, uai: string, millesime: number): Promise<boolean> {
  const folders = new SchoolFolders(dataDir, uai);
  const found = await newestDeposit(folders, millesime);
  if (!found) return false;
  const sha256 = sha256Of(await readFile(found.path));
  return (await findNightProcessing(db, { uai, millesime, inputSha256: sha256 })) === undefined;
}

/** The compte-rendu of a file a night already processed, if one did. */
export async function nightReportOf(db: Db, folders: SchoolFolders, file: { uai: string; millesime: number; sha256: string; name: string }): Promise<NightReport | undefined> {
  if (!(await findNightProcessing(db, { uai: file.uai, millesime: file.millesime, inputSha256: file.sha256 }))) return undefined;
  const text = await readFile(folders.path('siecle', 'reports', reportName(file.name)), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as NightReport);
}

export async function processNight(db: Db, dataDir: string, request: NightRequest, env: StepEnvironment): Promise<NightResult> {
  const { uai, millesime } = request;
  const folders = new SchoolFolders(dataDir, uai);
  const found = await newestDeposit(folders, millesime);
  if (!found) return { processed: false, anomalies: [] };
  const bytes = await readFile(found.path);
  const sha256 = sha256Of(bytes);
  if (await findNightProcessing(db, { uai, millesime, inputSha256: sha256 })) {
    // Processed already. The same night asking again is a retry after a crash (the activity died
    // after the claim): the same compte-rendu again, so the step run can still be finished.
    // Another night finds nothing new.
    const done = await nightReportOf(db, folders, { uai, millesime, sha256, name: found.name });
    if (done?.night !== request.night) return { processed: false, anomalies: [] };
    return { processed: true, replayed: true, input: await env.store.put(found.name, bytes), anomalies: done.anomalies, counts: done.counts, levels: countByLevel(done.anomalies) };
  }
  env.heartbeat({ uai, step: 'nuit' });
  const input = await env.store.put(found.name, bytes);
  // What SIECLE's night reads: its pupils, structures and communs (school year bounds).
  const ref = await schoolReference(folderPorts(folders).inbox, { siecle: ['Eleves', 'Structures', 'Communs'] });
  const anomalies: Anomaly[] = [];
  let report: NightReport;
  // Accepted at deposit, so readable: as the deposit read it when this worker made it (the same
  // bytes under the same name), else parsed in a parse thread like every file.
  const known = await parsedFiles.recall(found.name, bytes);
  let file: EleGroupeFile;
  if (known?.kind === 'elegroupe') file = known.data;
  else {
    const read = await parseEleGroupe(found.name, bytes);
    if (!read.parsed) throw new Error(read.error);
    file = read.parsed;
  }
  if (ref.eleves) {
    const r = simulateEleGroupeImport(file, { eleves: ref.eleves, ...(ref.structures && { structures: ref.structures }), ...(ref.communs && { communs: ref.communs }), fileName: found.name });
    anomalies.push(...r.anomalies);
    report = {
      file: found.name, sha256, night: request.night, counts: r.counts, period: r.period, links: r.links.length, removedLinks: r.removedLinks, anomalies,
      pupils: r.pupils.map((p) => ({ id: p.sentId.value, ...(p.eleveId && { eleveId: p.eleveId }), class: p.class, codes: p.anomalies.map((a) => a.code) })),
    };
  } else {
    // Accepted at deposit only after a pupils export, so this is a folder whose export was removed since.
    anomalies.push({ code: 'SIMULATION_NON_FAITE', level: 'warning', message: "Aucun export des élèves de SIECLE dans siecle/inbox : le compte-rendu de la nuit n'a pas pu être établi.", subject: { file: found.name } });
    report = { file: found.name, sha256, night: request.night, counts: { read: file.pupils.length, imported: 0, partial: 0, rejected: 0, absent: 0 }, pupils: [], links: 0, removedLinks: 0, anomalies };
  }
  await folders.writeJson('siecle', 'reports', reportName(found.name), report);
  const claim = await recordNightProcessing(db, { uai, millesime, inputSha256: sha256 });
  if (!claim.isNew) return { processed: false, anomalies: [] };
  return { processed: true, input, anomalies, counts: report.counts, levels: countByLevel(anomalies) };
}
