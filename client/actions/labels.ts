// How the operators' screens name steps and statuses (French UI; ids stay the English ones used
// in the database, Temporal search attributes and the CLI options).
import type { StepId, StepStatus } from '../../workflows/steps';

export const STEP_LABELS: Record<StepId, string> = {
  'sts-edt': 'STS → EDT',
  'siecle-pronote': 'SIECLE → PRONOTE',
  'edt-sts': 'EDT → STS',
  'sts-siecle-structure': 'STS → SIECLE structure',
  'sts-siecle-services': 'STS → SIECLE services',
  'pronote-siecle-elegroupe': 'Élève-groupe',
  'lsu-base-sync': 'LSU base élèves',
  'lsu-bilans': 'Bilans LSU',
};

export const STATUS_LABELS: Record<StepStatus, string> = {
  pending: 'En attente',
  'waiting-file': 'Fichier attendu',
  'waiting-person': 'Confirmation attendue',
  running: 'En cours',
  succeeded: 'Réussie',
  'succeeded-with-anomalies': 'Réussie avec anomalies',
  failed: 'Échec',
  blocked: 'Bloquée',
};

/** Times in UTC: the académies of one installation span several time zones (Paris, Nouméa). */
export function formatTime(date: Date | null | undefined): string {
  return date ? `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—';
}
