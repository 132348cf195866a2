// One type for every anomaly the project reports, whatever the application it imitates.
// SIECLE codes and messages are kept verbatim; LSU labels are the ones of its rapport d'exécution.

export type AnomalyLevel = 'info' | 'warning' | 'error' | 'blocking';

/** How the real applications print the levels. */
export const LEVEL_LABELS: Record<AnomalyLevel, string> = {
  info: 'Informatif',
  warning: 'Avertissement',
  error: 'Erreur',
  blocking: 'Bloquant',
};

const LEVEL_RANK: Record<AnomalyLevel, number> = { info: 0, warning: 1, error: 2, blocking: 3 };

export interface AnomalySubject {
  /** ELEVE_ID / INE / private id, or LSU eleve ref: never a name. */
  pupilId?: string;
  groupCode?: string;
  division?: string;
  teacherId?: string;
  file?: string;
  line?: number;
}

export interface Anomaly {
  /** SIECLE code (GROUPE_A_01, ELEGRP_A_02, REJELEGROUPE_01, …) or one of ours (DEPOT_*, LSU_*, …). */
  code: string;
  level: AnomalyLevel;
  /** LSU label ("Enseignant inconnu", …) or SIECLE family ("GROUPE", "ELEGRP"). */
  label?: string;
  /** The official French message, values filled in. */
  message: string;
  subject?: AnomalySubject;
  cause?: string;
  correction?: string;
}

/** How many anomalies of each level: what step runs and reports store. */
export type LevelCounts = Record<AnomalyLevel, number>;

export function countByLevel(anomalies: readonly Anomaly[]): LevelCounts {
  const counts: LevelCounts = { info: 0, warning: 0, error: 0, blocking: 0 };
  for (const a of anomalies) counts[a.level] += 1;
  return counts;
}

/**
 * The one definition of "with anomalies" (check verdicts, step and night statuses, the grid):
 * an Avertissement, an Erreur or a Bloquant. Informatif does not count: LSU prints its
 * informational messages as "sans impact" on the import and SIECLE's compte-rendu lists them
 * without asking anything of the school, so a run with only those is a plain success.
 */
export function hasAnomalies(counts: LevelCounts): boolean {
  return counts.warning + counts.error + counts.blocking > 0;
}

export function worstLevel(anomalies: readonly Anomaly[]): AnomalyLevel | undefined {
  let worst: AnomalyLevel | undefined;
  for (const a of anomalies) {
    if (worst === undefined || LEVEL_RANK[a.level] > LEVEL_RANK[worst]) worst = a.level;
  }
  return worst;
}

export function compareLevels(a: AnomalyLevel, b: AnomalyLevel): number {
  return LEVEL_RANK[a] - LEVEL_RANK[b];
}
