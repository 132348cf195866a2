// The demo's sign-in when no identity provider is configured: one-time links, printed in the
// terminal of `synchro start` / `synchro web` (whoever can read that terminal runs the server
// anyway). A link signs in once, within LINK_TTL_MS, as the académie admin or as the staff of one
// school. Opening the sign-in page prints fresh links, so an expired one is never a dead end.
import { createHash } from 'node:crypto';
import { randomToken } from './sessions';

export const LINK_TTL_MS = 15 * 60_000;
const MAX_LINKS = 1_000;

export interface LocalAccount {
  kind: 'admin' | 'staff';
  subject: string;
  name: string;
  /** The school of a staff account. */
  uai?: string;
}

export interface LocalLink {
  account: LocalAccount;
  path: string;
}

export interface LocalSignIn {
  issue(accounts: LocalAccount[], now?: number): LocalLink[];
  /** The account of a link not used yet nor expired; the link is spent either way. */
  redeem(token: string, now?: number): LocalAccount | undefined;
  /** The account a link would sign in as, without spending it (the confirmation page). */
  peek(token: string, now?: number): LocalAccount | undefined;
}

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The admin and the staff of the first ten schools: a demo needs no more, and the terminal stays readable. */
export function localAccounts(schools: { uai: string; name: string }[]): LocalAccount[] {
  return [
    { kind: 'admin', subject: 'local:admin', name: 'Administrateur académique (démo)' },
    ...schools.slice(0, 10).map((s): LocalAccount => ({ kind: 'staff', subject: `local:${s.uai}`, name: `Personnel ${s.uai} (démo)`, uai: s.uai })),
  ];
}

export function createLocalSignIn(): LocalSignIn {
  const links = new Map<string, { account: LocalAccount; at: number }>();
  const live = (token: string, now: number) => {
    const link = links.get(hash(token));
    return link && now - link.at <= LINK_TTL_MS ? link : undefined;
  };
  return {
    issue(accounts, now = Date.now()) {
      for (const [key, link] of links) if (now - link.at > LINK_TTL_MS) links.delete(key);
      return accounts.map((account) => {
        const token = randomToken();
        links.set(hash(token), { account, at: now });
        while (links.size > MAX_LINKS) links.delete(links.keys().next().value!);
        return { account, path: `/connexion/locale/${token}` };
      });
    },
    redeem(token, now = Date.now()) {
      const link = live(token, now);
      links.delete(hash(token));
      return link?.account;
    },
    peek: (token, now = Date.now()) => live(token, now)?.account,
  };
}
