// ElevesSansAdresses.xml / ElevesAvecAdresses.xml (root BEE_ELEVES). Addresses are not read:
// the chain never needs them and they are personal data.
import type { SiecleEleves, SieclePupil } from '../types.js';
import { frenchDateToIso, select, textAt } from '../xml.js';
import { attrOrChild, beeHeader, openBeeExport, withOptional } from './header.js';

export function readSiecleEleves(file: string, bytes: Uint8Array): SiecleEleves {
  const root = openBeeExport(file, bytes, 'siecle-eleves');
  const structures = new Map<string, { divisions: string[]; groups: string[] }>();
  for (const se of select(root, 'DONNEES/STRUCTURES/STRUCTURES_ELEVE')) {
    const id = attrOrChild(se, 'ELEVE_ID') ?? '';
    const entry = structures.get(id) ?? { divisions: [], groups: [] };
    for (const s of select(se, 'STRUCTURE')) {
      const code = textAt(s, 'CODE_STRUCTURE');
      if (code === undefined) continue;
      (textAt(s, 'TYPE_STRUCTURE') === 'G' ? entry.groups : entry.divisions).push(code);
    }
    structures.set(id, entry);
  }
  const pupils = select(root, 'DONNEES/ELEVES/ELEVE').map((el): SieclePupil => {
    const eleveId = attrOrChild(el, 'ELEVE_ID') ?? '';
    const rawBirth = textAt(el, 'DATE_NAISS');
    const s = structures.get(eleveId);
    return withOptional<SieclePupil>(
      {
        eleveId,
        lastName: textAt(el, 'NOM_DE_FAMILLE') ?? '',
        firstName: textAt(el, 'PRENOM') ?? '',
        birthDate: frenchDateToIso(rawBirth) ?? rawBirth ?? '',
        divisions: s?.divisions ?? [],
        groups: s?.groups ?? [],
      },
      {
        ine: textAt(el, 'ID_NATIONAL'),
        elenoet: attrOrChild(el, 'ELENOET'),
        privateId: textAt(el, 'ID_PRV_ELE'),
        usageName: textAt(el, 'NOM_USAGE'),
        firstName2: textAt(el, 'PRENOM2'),
        firstName3: textAt(el, 'PRENOM3'),
        sex: textAt(el, 'CODE_SEXE'),
        mef: textAt(el, 'CODE_MEF'),
        entryDate: frenchDateToIso(textAt(el, 'DATE_ENTREE')),
        leavingDate: frenchDateToIso(textAt(el, 'DATE_SORTIE')),
      },
    );
  });
  return { header: beeHeader(file, root, 'siecle-eleves'), pupils };
}
