// The sign-in pages: the académie's identity provider when one is configured, else the demo's
// one-time links (printed in the terminal of the server).
import { html } from 'hono/html';
import { page, type Html } from '../layout';

export function signInPage(options: { oidc: boolean; returnTo: string; message?: string }): Html {
  const notice = options.message ? html`<p class="notice error">${options.message}</p>` : html``;
  const body = options.oidc
    ? html`<h1>Connexion</h1>${notice}<p>Connectez-vous avec votre compte académique : vous verrez les établissements où vous exercez.</p>
<p><a class="button" href="/connexion/oidc?retour=${encodeURIComponent(options.returnTo)}">Se connecter avec le compte académique</a></p>`
    : html`<h1>Connexion (démonstration)</h1>${notice}<p>Aucun fournisseur d'identité n'est configuré : la connexion passe par des liens à usage unique, valables 15 minutes, affichés dans le terminal où tourne « synchro start » (ou « synchro web »).</p>
<p>De nouveaux liens viennent d'y être affichés : un pour l'administrateur académique, un par établissement.</p>`;
  return page('Connexion', body);
}

export function localConfirmPage(options: { action: string; who: string }): Html {
  return page('Connexion', html`<h1>Connexion (démonstration)</h1><p>Se connecter en tant que <strong>${options.who}</strong> ?</p>
<form method="post" action="${options.action}"><button type="submit">Se connecter</button></form>`);
}
