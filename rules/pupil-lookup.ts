// How SIECLE finds the pupil of an élève-groupe entry (spec §7.6.2.4): ELEVE_ID, else INE, else the
// private id; when no id is found, family name (or usage name) + first name + birth date (+ PRENOM2
// and PRENOM3 when the file gives them). Everything is indexed once in maps so that a lycée of
// 2,500 pupils is looked up in linear time.
import type { EleGroupePupil, SieclePupil } from '../formats/types.js';

/**
 * Names are compared upper-cased, without accents and with single spaces: the spec says SIECLE's
 * parser upper-cases / capitalises names; ignoring accents is an ASSUMPTION (PRONOTE and SIECLE
 * do not always agree on them).
 */
export function normaliseName(name: string | undefined): string {
  return (name ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[\s]+/g, ' ')
    .trim();
}

function identityKey(lastName: string | undefined, firstName: string, birthDate: string): string {
  return `${normaliseName(lastName)}|${normaliseName(firstName)}|${birthDate}`;
}

export type LookupResult =
  | { found: SieclePupil; by: 'ELEVE_ID' | 'ID_NATIONAL' | 'ID_PRV_ELE' | 'identite' }
  | { found?: undefined; reason: 'not-found' | 'homonyms' };

export class PupilIndex {
  private readonly byEleveId = new Map<string, SieclePupil>();
  private readonly byIne = new Map<string, SieclePupil>();
  private readonly byPrivateId = new Map<string, SieclePupil>();
  /**
   * Built at the first entry no identifier finds: names are normalised (Unicode decomposition,
   * regular expressions) for every pupil of the school, and a file whose pupils all carry a known
   * identifier never needs it.
   */
  private identities: Map<string, SieclePupil[]> | undefined;

  constructor(private readonly pupils: readonly SieclePupil[]) {
    for (const p of pupils) {
      this.byEleveId.set(p.eleveId, p);
      if (p.ine) this.byIne.set(p.ine.toUpperCase(), p);
      if (p.privateId) this.byPrivateId.set(p.privateId, p);
    }
  }

  private byIdentity(): Map<string, SieclePupil[]> {
    if (this.identities) return this.identities;
    const identities = new Map<string, SieclePupil[]>();
    for (const p of this.pupils) {
      const keys = new Set([identityKey(p.lastName, p.firstName, p.birthDate)]);
      if (p.usageName) keys.add(identityKey(p.usageName, p.firstName, p.birthDate));
      for (const key of keys) {
        const list = identities.get(key);
        if (list) list.push(p);
        else identities.set(key, [p]);
      }
    }
    return (this.identities = identities);
  }

  lookup(entry: EleGroupePupil): LookupResult {
    const { kind, value } = entry.id;
    const byId =
      kind === 'ELEVE_ID' ? this.byEleveId.get(value) : kind === 'ID_NATIONAL' ? this.byIne.get(value.toUpperCase()) : this.byPrivateId.get(value);
    if (byId) return { found: byId, by: kind };

    const candidates = new Set<SieclePupil>();
    for (const name of [entry.lastName, entry.usageName]) {
      if (!name) continue;
      for (const p of this.byIdentity().get(identityKey(name, entry.firstName, entry.birthDate)) ?? []) {
        if (entry.firstName2 && normaliseName(entry.firstName2) !== normaliseName(p.firstName2)) continue;
        if (entry.firstName3 && normaliseName(entry.firstName3) !== normaliseName(p.firstName3)) continue;
        candidates.add(p);
      }
    }
    if (candidates.size === 1) return { found: [...candidates][0]!, by: 'identite' };
    return { reason: candidates.size > 1 ? 'homonyms' : 'not-found' };
  }
}
