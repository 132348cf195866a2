// Small pieces every page uses: a status badge with its colour, the anomaly counts of a run.
import { html } from 'hono/html';
import type { LevelCounts } from '../../rules/anomaly';
import type { StepStatus } from '../../workflows/steps';
import { STATUS_LABELS } from '../actions/labels';
import { STATUS_COLOURS, type Html } from './layout';

const SHORT: [keyof LevelCounts, string, string][] = [
  ['blocking', 'B', 'bloquant(s)'],
  ['error', 'E', 'erreur(s)'],
  ['warning', 'A', 'avertissement(s)'],
  ['info', 'I', 'informatif(s)'],
];

export function statusBadge(status: StepStatus): Html {
  return html`<span class="status status-${status}" style="background:${STATUS_COLOURS[status]};padding:0 .3em;border-radius:3px">${STATUS_LABELS[status]}</span>`;
}

/** "B 1 · E 3": only the levels that occur; nothing when the run found nothing. */
export function anomalyCounts(counts: LevelCounts | null): Html {
  if (!counts) return html``;
  const present = SHORT.filter(([level]) => counts[level] > 0);
  if (present.length === 0) return html``;
  const parts = present.map(([level, letter, title]) => html`<span title="${counts[level]} ${title}">${letter} ${counts[level]}</span>`);
  return html`<span class="counts">${parts.map((p, i) => (i === 0 ? p : html` · ${p}`))}</span>`;
}
