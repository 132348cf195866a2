// The audit log's section of a school's page: who did what, when, from where; newest first.
import { html } from 'hono/html';
import type { AuditEntry } from '../../../db/schema';
import { formatTime } from '../../actions/labels';
import type { Html } from '../layout';

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'sign-in': 'connexion',
  'sign-out': 'déconnexion',
  confirm: 'confirmation',
  rerun: 'relance',
  upload: 'dépôt de fichier',
};

function detail(entry: AuditEntry): string {
  const d = entry.details;
  return Object.entries(d)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(' · ');
}

export function auditSection(entries: AuditEntry[]): Html {
  const rows = entries.map(
    (e) => html`<tr data-action="${e.action}"><td>${formatTime(e.at)}</td><td>${e.actorName ? `${e.actorName} (${e.actorSubject})` : e.actorSubject}</td><td>${AUDIT_ACTION_LABELS[e.action] ?? e.action}</td><td>${detail(e) || '—'}</td><td>${e.address ?? '—'}</td></tr>`,
  );
  return html`<section class="audit"><h2>Journal des actions</h2>
${entries.length === 0
    ? html`<p class="muted">Aucune action enregistrée pour cet établissement.</p>`
    : html`<table class="audit"><thead><tr><th>Quand</th><th>Qui</th><th>Action</th><th>Détail</th><th>Adresse</th></tr></thead><tbody>${rows}</tbody></table>`}
</section>`;
}
