// The notification mails, in French, built from ids, statuses, counts and codes only: a mail leaves
// the académie's network and sits in mailboxes, so it never carries a pupil's name, birth date or
// INE (anomaly messages can: REJELEGROUPE_01 names the pupil). The details are behind the link,
// after sign-in. Pure: the caller gives the instant and the base URL.
import type { LevelCounts } from '../rules/anomaly';
import { LEVEL_LABELS } from '../rules/anomaly';
import type { EleGroupeCounts } from '../rules/elegroupe-import';
import type { StepId, StepStatus } from '../workflows/steps';
import { STATUS_LABELS, STEP_LABELS } from '../client/actions/labels';

export interface Mail {
  subject: string;
  text: string;
}

export interface RunSummary {
  id: number;
  uai: string;
  schoolName: string;
  millesime: number;
  step: StepId;
  status: StepStatus;
  period: number | null;
  counts: LevelCounts;
  codes: { code: string; level: keyof LevelCounts; count: number }[];
}

const link = (base: string | undefined, path: string): string => `${base ?? ''}${path}`;

function levels(counts: LevelCounts): string {
  return (['blocking', 'error', 'warning', 'info'] as const).map((l) => `${LEVEL_LABELS[l]} : ${counts[l]}`).join(' · ');
}

function codes(run: RunSummary): string[] {
  if (run.codes.length === 0) return ['  (aucune anomalie)'];
  return run.codes.map((c) => `  ${c.code.padEnd(24)} ${LEVEL_LABELS[c.level].padEnd(13)} ${c.count}`);
}

const footer = (base: string | undefined, uai: string): string[] => [
  '',
  `Le détail (messages, élèves et groupes concernés) est sur la page de l'établissement, après connexion : ${link(base, `/etablissement/${uai}`)}`,
  '',
  "Ce message ne contient que des nombres et des codes d'anomalie, jamais de données d'élève.",
];

export function stepFailedMail(run: RunSummary, base: string | undefined): Mail {
  const what = run.status === 'blocked' ? 'bloquée' : 'en échec';
  return {
    subject: `[synchro-eple] ${run.uai} : étape « ${STEP_LABELS[run.step]} » ${what}`,
    text: [
      `Établissement ${run.uai} — ${run.schoolName}, millésime ${run.millesime}${run.period !== null ? `, période ${run.period}` : ''}.`,
      '',
      `L'étape « ${STEP_LABELS[run.step]} » est ${what} (${STATUS_LABELS[run.status]}), exécution n° ${run.id}.`,
      levels(run.counts),
      '',
      'Anomalies par code :',
      ...codes(run),
      '',
      `Rapport de l'exécution : ${link(base, `/runs/${run.id}`)}`,
      ...footer(base, run.uai),
    ].join('\n'),
  };
}

export function fileExpectedMail(run: RunSummary, days: number, expected: string | undefined, base: string | undefined): Mail {
  return {
    subject: `[synchro-eple] ${run.uai} : fichier attendu depuis ${days} jours (« ${STEP_LABELS[run.step]} »)`,
    text: [
      `Établissement ${run.uai} — ${run.schoolName}, millésime ${run.millesime}.`,
      '',
      `L'étape « ${STEP_LABELS[run.step]} » attend un fichier depuis ${days} jours${expected ? ` : ${expected}` : ''}.`,
      "La page de l'établissement dit quelle application, quel menu et quel fichier ; déposez-le sur cette page.",
      ...footer(base, run.uai),
    ].join('\n'),
  };
}

/** The compte-rendu's counts of SIECLE's night: those of the élève-groupe import it simulates. */
export type NightCounts = EleGroupeCounts;

export function nightReportMail(run: RunSummary, night: string | undefined, counts: NightCounts | undefined, base: string | undefined): Mail {
  return {
    subject: `[synchro-eple] ${run.uai} : compte-rendu du traitement de nuit SIECLE (liens élève-groupe)`,
    text: [
      `Établissement ${run.uai} — ${run.schoolName}, millésime ${run.millesime}.`,
      '',
      `SIECLE a traité cette nuit${night ? ` (${night})` : ''} le fichier des liens élève-groupe (exécution n° ${run.id}, ${STATUS_LABELS[run.status]}).`,
      ...(counts
        ? [
            `Élèves lus : ${counts.read}`,
            `  importés (REINIT_ELGRP) : ${counts.imported}`,
            `  partiellement importés (PAR) : ${counts.partial}`,
            `  rejetés (REJ_ELGRP) : ${counts.rejected}`,
            `  absents du fichier (ABS) : ${counts.absent}`,
          ]
        : ["Les nombres d'élèves du compte-rendu ne sont pas disponibles."]),
      levels(run.counts),
      '',
      'Anomalies par code :',
      ...codes(run),
      '',
      `Compte-rendu détaillé : ${link(base, `/runs/${run.id}`)}`,
      ...footer(base, run.uai),
    ].join('\n'),
  };
}

export interface DigestRow {
  uai: string;
  name: string;
  failed: { step: StepId; runId: number; codes: string[] }[];
  waitingFile: StepId[];
  waitingPerson: StepId[];
}

export function digestMail(academie: string, date: string, rows: readonly DigestRow[], base: string | undefined): Mail {
  const failing = rows.filter((r) => r.failed.length > 0);
  const lines = [
    `Académie ${academie} — synthèse du ${date}.`,
    '',
    `Établissements suivis : ${rows.length}`,
    `  avec une étape en échec : ${failing.length}`,
    `  avec un fichier attendu : ${rows.filter((r) => r.waitingFile.length > 0).length}`,
    `  avec une confirmation attendue : ${rows.filter((r) => r.waitingPerson.length > 0).length}`,
    '',
  ];
  if (failing.length > 0) {
    lines.push('Échecs :');
    for (const r of failing) for (const f of r.failed) lines.push(`  ${r.uai} ${r.name} — ${STEP_LABELS[f.step]} (n° ${f.runId}) : ${f.codes.join(', ') || 'sans code'} — ${link(base, `/runs/${f.runId}`)}`);
  } else {
    lines.push('Aucun échec.');
  }
  lines.push('', `Grille de l'académie : ${link(base, `/?academie=${encodeURIComponent(academie)}`)}`, '', "Ce message ne contient que des nombres et des codes d'anomalie, jamais de données d'élève.");
  return { subject: `[synchro-eple] ${academie} : synthèse quotidienne du ${date} (${failing.length} établissement(s) en échec)`, text: lines.join('\n') };
}
