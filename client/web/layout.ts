// The page frame: inline CSS only (no front-end build, no external asset: the dashboard is often
// reached through an académie's closed network), French labels, every value escaped by hono's
// `html` tag (strings interpolated into html`…` are escaped; nested html`…` fragments are not).
import { tryGetContext } from 'hono/context-storage';
import { html } from 'hono/html';
import type { StepStatus } from '../../workflows/steps';

export type Html = ReturnType<typeof html>;

export const STATUS_COLOURS: Record<StepStatus | 'none', string> = {
  none: '#ffffff',
  pending: '#f1f3f5',
  'waiting-file': '#e2e6ea',
  'waiting-person': '#ffe0b2',
  running: '#cfe2ff',
  succeeded: '#d1e7dd',
  'succeeded-with-anomalies': '#fff3cd',
  failed: '#f8d7da',
  blocked: '#e0cffc',
};

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#212529}
header{background:#000091;color:#fff;padding:.6em 1.2em;display:flex;gap:1em;align-items:center}header a{color:#fff;text-decoration:none;font-weight:600}
header .who{margin-left:auto}header form.signout{margin:0}
main{padding:1em 1.2em}h1{font-size:1.3em;margin:.2em 0 .6em}h2{font-size:1.1em;margin:1.2em 0 .4em}
table{border-collapse:collapse}th,td{border:1px solid #ced4da;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f1f3f5}td.cell{min-width:7em}td.cell a{color:inherit;text-decoration:none;display:block}
.counts{font-size:.85em;color:#495057}form.filters{margin:0 0 1em;display:flex;gap:.8em;align-items:end;flex-wrap:wrap}
form.filters label{display:flex;flex-direction:column;font-size:.85em}
.notice{background:#f1f3f5;border-left:4px solid #000091;padding:.5em .8em;margin:.8em 0}
.error{border-left-color:#c9191e;background:#fbe9e9}.actions form{display:inline-block;margin-right:1em}
.muted{color:#6c757d}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}
`;

/** The request being answered (hono's context storage, set first in app.ts), if any. */
function current(): { viewer?: { kind: string; subject: string; name?: string }; csrf?: string } {
  const c = tryGetContext<{ Variables: { viewer?: { kind: string; subject: string; name?: string }; csrf?: string } }>();
  return c ? { viewer: c.get('viewer'), csrf: c.get('csrf') } : {};
}

/** The hidden synchronizer-token field every POST form of a signed-in page carries. */
export function csrfField(): Html {
  const { csrf } = current();
  return csrf ? html`<input type="hidden" name="csrf" value="${csrf}">` : html``;
}

function who(): Html {
  const { viewer } = current();
  if (!viewer || viewer.kind === 'token') return html``;
  const role = viewer.kind === 'admin' ? 'administrateur académique' : 'établissement';
  return html`<span class="who">${viewer.name ?? viewer.subject} · ${role}</span><form method="post" action="/deconnexion" class="signout">${csrfField()}<button type="submit">Se déconnecter</button></form>`;
}

export function page(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — synchro-eple</title><style>${CSS}</style></head>
<body><header><a href="/">synchro-eple — tableau de bord</a>${who()}</header>
<main>${body}</main></body></html>`;
}
