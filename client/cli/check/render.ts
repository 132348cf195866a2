// Human output of `synchro check`, shaped like the applications' own reports: SIECLE's
// "compte-rendu d'import des liens élève-groupe" and LSU's "rapport d'exécution" (seeds 000-004).
import type { Anomaly } from '../../../rules/anomaly.js';
import { LEVEL_LABELS } from '../../../rules/anomaly.js';
import { frDate } from '../../../rules/dates.js';
import { familyMessage } from '../../../rules/elegroupe-import.js';
import type { LsuCounts, LsuImportReport, LsuLabelCount } from '../../../rules/lsu-import.js';
import type { FileResult } from '../../../checks/check-file.js';

const VERDICTS = { accepted: 'accepté', 'accepted-with-anomalies': 'accepté avec anomalies', rejected: 'rejeté' } as const;
const KINDS: Record<string, string> = {
  elegroupe: 'liens élève-groupe (PRONOTE → SIECLE)', 'lsu-bilans': 'bilans LSU (PRONOTE → LSU)', 'sts-edt': 'STS-Web → EDT (sts_emp)',
  'edt-sts': 'EDT → STS-Web (emp_sts)', unknown: 'type inconnu', reference: 'fichier de référence (--reference)',
};

const pad2 = (n: number): string => String(n).padStart(2, '0');

function explanations(anomalies: readonly Anomaly[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const a of anomalies) {
    if ((!a.cause && !a.correction) || seen.has(a.code)) continue;
    seen.add(a.code);
    lines.push(`  Anomalie   ${a.code}${a.label && a.label !== a.code ? ` (${a.label})` : ''}`);
    if (a.cause) lines.push(`  Cause      ${a.cause}`);
    if (a.correction) lines.push(`  Correction ${a.correction}`);
    lines.push('');
  }
  return lines;
}

function plainAnomalies(anomalies: readonly Anomaly[]): string[] {
  return anomalies.map((a) => `  [${LEVEL_LABELS[a.level]}] ${a.code} ${a.message}${a.subject?.line ? ` (ligne ${a.subject.line})` : ''}`);
}

function eleGroupe(r: FileResult): string[] {
  const out: string[] = [];
  const deposit = r.anomalies.filter((a) => a.code.startsWith('DEPOT_') || a.code === 'CODE_GROUPE_LONG' || a.code === 'FICHIER_ILLISIBLE');
  out.push('Dépôt', ...(deposit.some((a) => a.level === 'blocking') ? plainAnomalies(deposit) : ['  Fichier déposé.', ...plainAnomalies(deposit)]));
  const report = r.eleGroupe?.report;
  if (!report) {
    out.push(...plainAnomalies(r.anomalies.filter((a) => !deposit.includes(a))));
    return [...out, '', ...explanations(r.anomalies)];
  }
  const c = report.counts;
  out.push('', "Compte-rendu d'import des liens élève-groupe (simulation du traitement de nuit)", 'Synthèse de l\'import');
  out.push(`  Import des liens élève-groupe du ${frDate(r.eleGroupe?.on ?? '')} pour le fichier ${r.eleGroupe?.xmlName ?? r.file}. ${c.read} élèves lus.`);
  out.push(`  Période scolaire autorisée : du ${frDate(report.period.start)} au ${frDate(report.period.end)} (${report.period.source === 'communs' ? 'Communs SIECLE' : 'calendrier académique'}).`);
  const row = (p: (typeof report.pupils)[number], anomaly: string, rule: string): string => `  ${p.displayName.padEnd(28)} ${(p.eleveId ?? p.sentId.value).padEnd(12)} ${anomaly.padEnd(66)} ${rule}`;
  const rejected = report.pupils.filter((p) => p.class === 'REJ_ELGRP');
  out.push('1. Liens élève-groupe rejetés', ...(rejected.length ? rejected.map((p) => row(p, familyMessage(p.anomalies[0]?.label ?? '') ?? '', p.anomalies[0]?.label ?? '')) : ['  Aucun résultat trouvé.']));
  out.push(`  Nombre de liens élève-groupe rejetés : ${rejected.length}`);
  const partial = report.pupils.filter((p) => p.class === 'PAR');
  out.push('2. Liens élève-groupe importés avec anomalies', ...(partial.length ? partial.map((p) => row(p, familyMessage(p.anomalies[0]?.label ?? '') ?? '', p.anomalies[0]?.label ?? '')) : ['  Aucun résultat trouvé.']));
  for (const p of [...rejected, ...partial]) {
    out.push('', `Détail des anomalies : ${p.displayName} (${p.eleveId ?? p.sentId.value} / 0)`);
    let family = '';
    for (const a of p.anomalies) {
      if (a.label && a.label !== family) out.push(`  ${a.label.padEnd(16)} ${familyMessage(a.label) ?? ''}`);
      family = a.label ?? '';
      out.push(`  ${a.code.padEnd(16)} ${a.message}`);
    }
  }
  const others = r.anomalies.filter((a) => !deposit.includes(a) && !report.pupils.some((p) => p.anomalies.includes(a)));
  if (others.length) out.push('', ...plainAnomalies(others));
  out.push('', `Élèves : ${c.read} lus, ${c.imported} importés (REINIT_ELGRP), ${c.partial} partiellement (PAR), ${c.rejected} rejetés (REJ_ELGRP), ${c.absent} absents du fichier (ABS).`);
  out.push(`Liens après le traitement : ${report.links.length} (remplacement complet ; ${report.removedLinks} liens SIECLE actuels supprimés).`, '');
  return [...out, ...explanations(r.anomalies)];
}

function tab(title: string, c: LsuCounts, labels: LsuLabelCount[], anomalies: readonly Anomaly[]): string[] {
  const alerts = labels.filter((l) => l.level === 'warning');
  const errors = labels.filter((l) => l.level === 'error' || l.level === 'blocking');
  const out = [
    title,
    `  ${c.imported} Importés dont : avec succès ${c.imported - c.importedWithAlerts}, avec alerte(s) ${c.importedWithAlerts}`,
    `  ${c.processed} Traités | ${c.rejected} Rejeté${c.rejected > 1 ? 's' : ''}`,
    `  Alertes : ${alerts.length ? alerts.map((l) => `${pad2(l.count)} ${l.label}`).join(', ') : 'Aucune alerte'}`,
    `  Erreurs : ${errors.length ? errors.map((l) => `${pad2(l.count)} ${l.label}`).join(', ') : 'Aucune erreur'}`,
  ];
  for (const l of labels) {
    out.push(`  ${LEVEL_LABELS[l.level]} — ${l.label} (${l.count})`);
    for (const a of anomalies.filter((x) => x.label === l.label)) out.push(`    ${a.message}`);
  }
  return out;
}

function lsu(report: LsuImportReport): string[] {
  const out = ["Rapport d'exécution"];
  for (const a of report.anomalies.filter((x) => x.level === 'blocking')) out.push(`  Bloquant : ${a.message}`);
  out.push(`Classe(s) concernée(s) par l'import : ${report.classes.join(', ') || '—'}`);
  out.push(`Fichier : ${report.file}${report.sizeLabel ? ` (${report.sizeLabel})` : ''}`);
  out.push(`Editeur : ${report.editor ?? '—'}`, `Version : ${report.version ?? '—'}${report.schemaVersion ? ` (schéma ${report.schemaVersion})` : ''}`, `Import simulé le ${frDate(report.date)}`);
  out.push('', ...tab('P Bilans périodiques', report.periodic, report.labels.periodic, report.details.periodic));
  out.push('', ...tab('C Bilans de fin de cycle', report.cycle, report.labels.cycle, report.details.cycle));
  const file = report.details.file.filter((a) => a.level !== 'blocking');
  if (file.length) out.push('', ...file.map((a) => `  [${LEVEL_LABELS[a.level]}] ${a.message}`));
  return [...out, '', ...explanations(report.anomalies)];
}

export function renderResult(r: FileResult): string {
  const head = `═══ ${r.file} — ${KINDS[r.kind] ?? r.kind}${r.uai ? ` — UAI ${r.uai}` : ''}${r.millesime !== undefined ? ` — millésime ${r.millesime}` : ''}`;
  const body = r.kind === 'elegroupe' ? eleGroupe(r) : r.lsu ? lsu(r.lsu) : [...(r.anomalies.length ? plainAnomalies(r.anomalies) : ['  Aucune anomalie.']), '', ...explanations(r.anomalies)];
  return [head, ...body, `Verdict : ${VERDICTS[r.verdict]}`, ''].join('\n');
}
