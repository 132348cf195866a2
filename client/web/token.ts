// Who may act: whoever presents SYNCHRO_WEB_TOKEN, as a form field (the buttons) or as
// `Authorization: Bearer` (scripts). Without a configured token the dashboard is read-only: an
// open action button on an académie's network would let anyone re-run a school's deposit.
import { timingSafeEqual } from 'node:crypto';

export type TokenCheck = { ok: true } | { ok: false; status: 401 | 403; message: string };

export const READ_ONLY_MESSAGE =
  "Tableau de bord en lecture seule : aucun jeton n'est configuré. Définissez SYNCHRO_WEB_TOKEN au démarrage de « synchro web » pour confirmer ou relancer une étape depuis cette page.";

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function checkToken(configured: string | undefined, authorization: string | undefined, formToken: unknown): TokenCheck {
  if (!configured) return { ok: false, status: 403, message: READ_ONLY_MESSAGE };
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  const given = bearer ?? (typeof formToken === 'string' ? formToken : undefined);
  if (given === undefined || given === '') return { ok: false, status: 401, message: 'Jeton manquant : saisissez le jeton du tableau de bord pour agir.' };
  if (!same(given, configured)) return { ok: false, status: 401, message: 'Jeton incorrect.' };
  return { ok: true };
}
