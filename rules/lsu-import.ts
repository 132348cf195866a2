// The LSU import report (rapport d'exécution) of a bilans file, built as a STREAMING consumer of
// formats/lsu-bilans.ts: `onBilan` is called once per bilan (memory holds counts and anomalies,
// never the bilans), `finish(header)` when the reader resolves, `fail(error)` when it throws.
//   const checker = createLsuImportChecker(context);
//   try { checker.finish((await readLsuBilans(path, checker.onBilan)).header) } catch (e) { checker.fail(e) }
import type { IsoDate, LsuBilan, LsuHeader, LsuReferentials } from '../formats/types.js';
import type { Anomaly, AnomalyLevel } from './anomaly.js';
import { compareLevels, worstLevel } from './anomaly.js';
import { siecleBasesOn } from './calendar.js';
import { checkBilan, lsuAnomaly, LsuIndexes, type LsuReference } from './lsu-bilan-checks.js';

/** LSU's own limit per file (seed 000: "La limite de taille d'un fichier d'import est de 100 Mo"). */
export const LSU_MAX_BYTES = 100 * 1024 * 1024;

export interface LsuImportContext extends Omit<LsuReference, 'millesime' | 'uai'> {
  /** UAI of the school importing (its LSU); the file's entete/etablissement must match. */
  uai: string;
  /** Business date of the import. */
  on: IsoDate;
  sizeBytes?: number;
  /** SIECLE millésime LSU works in; default: the exports' millésime, else the calendar. */
  millesime?: number;
}

/** `imported` counts every imported bilan, with success or with alerts (LSU's "84 Importés dont"). */
export interface LsuCounts {
  processed: number;
  imported: number;
  importedWithAlerts: number;
  rejected: number;
}

export interface LsuLabelCount {
  label: string;
  level: AnomalyLevel;
  count: number;
}

export interface LsuImportReport {
  file: string;
  sizeBytes?: number;
  /** "1.128 Mo", as LSU prints it. */
  sizeLabel?: string;
  editor?: string;
  application?: string;
  version?: string;
  schemaVersion?: string;
  uai?: string;
  millesime?: number;
  /** Import date (business date). */
  date: IsoDate;
  classes: string[];
  verdict: 'accepted' | 'accepted-with-anomalies' | 'rejected';
  periodic: LsuCounts;
  cycle: LsuCounts;
  /** Alerts and errors grouped by label with their counts, per tab. */
  labels: { periodic: LsuLabelCount[]; cycle: LsuLabelCount[]; file: LsuLabelCount[] };
  /** Detail list: anomalies about the file first, then bilan by bilan in file order. */
  anomalies: Anomaly[];
  /** The same anomalies, per tab of the rapport d'exécution. */
  details: { periodic: Anomaly[]; cycle: Anomaly[]; file: Anomaly[] };
}

export interface LsuImportChecker {
  onBilan(bilan: LsuBilan, refs: LsuReferentials): void;
  /** `fileAnomalies`: what was found of the file outside its bilans (its XSD validation). */
  finish(header: LsuHeader, fileAnomalies?: readonly Anomaly[]): LsuImportReport;
  fail(error: unknown): LsuImportReport;
}

const zero = (): LsuCounts => ({ processed: 0, imported: 0, importedWithAlerts: 0, rejected: 0 });

export function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(3)} Mo` : `${(bytes / 1024).toFixed(2)} ko`;
}

function group(anomalies: readonly Anomaly[]): LsuLabelCount[] {
  const byLabel = new Map<string, LsuLabelCount>();
  for (const a of anomalies) {
    const label = a.label ?? a.code;
    const entry = byLabel.get(label);
    if (entry) {
      entry.count++;
      if (compareLevels(a.level, entry.level) > 0) entry.level = a.level;
    } else byLabel.set(label, { label, level: a.level, count: 1 });
  }
  return [...byLabel.values()].sort((x, y) => compareLevels(y.level, x.level) || y.count - x.count || x.label.localeCompare(y.label));
}

export function createLsuImportChecker(context: LsuImportContext): LsuImportChecker {
  const millesime = context.millesime ?? context.communs?.header.millesime ?? context.eleves?.header.millesime ?? siecleBasesOn(context.uai, context.on, context.calendar).current;
  const ix = new LsuIndexes({ ...context, millesime });
  const counts = { periodic: zero(), cycle: zero() };
  const perKind: { periodic: Anomaly[]; cycle: Anomaly[] } = { periodic: [], cycle: [] };
  const classes = new Set<string>();

  const report = (header: Partial<LsuHeader>, fileAnomalies: Anomaly[]): LsuImportReport => {
    const blocking = fileAnomalies.some((a) => a.level === 'blocking');
    const final = blocking ? { periodic: nothingImported(counts.periodic), cycle: nothingImported(counts.cycle) } : counts;
    // Bloquant: LSU shows only why the file was rejected; the bilans' own anomalies are moot.
    const periodic = blocking ? [] : perKind.periodic;
    const cycle = blocking ? [] : perKind.cycle;
    const all = [...fileAnomalies, ...periodic, ...cycle];
    const worst = worstLevel(all.filter((a) => a.level !== 'info'));
    return {
      file: context.file,
      ...(context.sizeBytes !== undefined && { sizeBytes: context.sizeBytes, sizeLabel: sizeLabel(context.sizeBytes) }),
      ...(header.editor !== undefined && { editor: header.editor }),
      ...(header.application !== undefined && { application: header.application }),
      ...(header.applicationVersion !== undefined && { version: header.applicationVersion }),
      ...(header.schemaVersion && { schemaVersion: header.schemaVersion }),
      ...(header.uai && { uai: header.uai }),
      ...(header.millesime && { millesime: header.millesime }),
      date: context.on,
      classes: [...classes].sort((a, b) => a.localeCompare(b, 'fr', { numeric: true })),
      verdict: blocking ? 'rejected' : worst === undefined ? 'accepted' : 'accepted-with-anomalies',
      periodic: final.periodic,
      cycle: final.cycle,
      labels: { periodic: group(periodic), cycle: group(cycle), file: group(fileAnomalies) },
      anomalies: all,
      details: { periodic, cycle, file: fileAnomalies },
    };
  };

  return {
    onBilan(bilan, refs) {
      const anomalies = checkBilan(bilan, refs, ix);
      const c = counts[bilan.kind];
      c.processed++;
      const pupil = refs.pupils.get(bilan.pupilRef);
      if (pupil) classes.add(pupil.division);
      const level = worstLevel(anomalies);
      if (level === 'error' || level === 'blocking') c.rejected++;
      else {
        c.imported++;
        if (level === 'warning') c.importedWithAlerts++;
      }
      perKind[bilan.kind].push(...anomalies);
    },

    finish(header, found = []) {
      const fileAnomalies: Anomaly[] = [...found];
      const subject = { file: context.file };
      if (context.sizeBytes !== undefined && context.sizeBytes > LSU_MAX_BYTES) {
        fileAnomalies.push(lsuAnomaly('FICHIER', 'blocking', `Le fichier pèse ${sizeLabel(context.sizeBytes)} : la limite de taille d'un fichier d'import est de 100 Mo.`, subject));
      }
      if (header.uai && header.uai !== context.uai) {
        // Same code as the cross-file check (correspondences.ts), so that one fault has one name.
        fileAnomalies.push({ ...lsuAnomaly('FICHIER', 'blocking', `Le fichier concerne l'établissement ${header.uai}, pas ${context.uai} : aucun bilan n'est importé.`, subject), code: 'UAI_DIFFERENT' });
      }
      if (counts.periodic.processed + counts.cycle.processed === 0) {
        fileAnomalies.push(lsuAnomaly('FICHIER', 'info', 'Le fichier ne contient aucun bilan.', subject));
      }
      return report(header, fileAnomalies);
    },

    fail(error) {
      const problem = error instanceof Error ? error.message : String(error);
      return report({}, [lsuAnomaly('FICHIER', 'blocking', `Fichier rejeté, aucun bilan importé : ${problem}`, { file: context.file })]);
    },
  };
}

/** Bloquant: the processing stops, the file is rejected, no bilan is imported. */
function nothingImported(c: LsuCounts): LsuCounts {
  return { processed: c.processed, imported: 0, importedWithAlerts: 0, rejected: c.processed };
}
