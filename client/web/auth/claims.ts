// What a French education identity provider says of an agent, turned into who they are here.
// `FrEduRne` lists the schools the agent works in and `FrEduRneResp` those they are responsible
// for, each entry `UAI$type$secteur$…` (UAI first, e.g. `0750680G$UAJ$PU$ADF$T3$LYC$340`);
// `FrEduFonctAdm` is their administrative function (e.g. `DIR`). Providers send a claim as a
// string, a list of strings, or one string of comma-separated values; in the ID token or only
// from userinfo.
import type { OidcSettings } from '../../../config/settings';

export type Claims = Record<string, unknown>;

const UAI = /^\d{7}[A-Z]$/;

/** Every string value of a claim, whatever its shape (absent: none). */
export function claimValues(claims: Claims, name: string): string[] {
  const raw = claims[name];
  const items = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return items
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The UAIs named by FrEduRne and FrEduRneResp (the part before the first `$`), valid ones only. */
export function claimedSchools(claims: Claims): string[] {
  const uais = [...claimValues(claims, 'FrEduRne'), ...claimValues(claims, 'FrEduRneResp')].map((entry) => entry.split('$')[0]!.trim().toUpperCase());
  return [...new Set(uais.filter((uai) => UAI.test(uai)))].sort();
}

export function isAcademieAdmin(claims: Claims, rules: Pick<OidcSettings, 'adminClaims' | 'adminSubjects'>): boolean {
  if (typeof claims.sub === 'string' && rules.adminSubjects.includes(claims.sub)) return true;
  return rules.adminClaims.some(([claim, value]) => claimValues(claims, claim).some((v) => v === value || v.split('$')[0] === value));
}

/** A name to show and to write in the audit log: the provider's, else the subject. */
export function displayName(claims: Claims): string | undefined {
  const given = typeof claims.given_name === 'string' ? claims.given_name : '';
  const family = typeof claims.family_name === 'string' ? claims.family_name : '';
  const name = typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name.trim() : `${given} ${family}`.trim();
  return name === '' ? undefined : name.slice(0, 120);
}
