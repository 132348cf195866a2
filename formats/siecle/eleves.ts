// ElevesSansAdresses.xml / ElevesAvecAdresses.xml (root BEE_ELEVES). Addresses are not read:
// the chain never needs them and they are personal data.
import type { SiecleEleves, SieclePupil } from '../types.js';
import { frenchDateToIso, recordReader, select, textAt, type XmlElement } from '../xml.js';
import { attrOrChild, beeHeader, openBeeExport, withOptional } from './header.js';

export function readSiecleEleves(file: string, bytes: Uint8Array): SiecleEleves {
  const structures = new Map<string, { divisions: string[]; groups: string[] }>();
  const takeStructures = (se: XmlElement): void => {
    const id = attrOrChild(se, 'ELEVE_ID') ?? '';
    const entry = structures.get(id) ?? { divisions: [], groups: [] };
    for (const s of select(se, 'STRUCTURE')) {
      const code = textAt(s, 'CODE_STRUCTURE');
      if (code === undefined) continue;
      (textAt(s, 'TYPE_STRUCTURE') === 'G' ? entry.groups : entry.divisions).push(code);
    }
    structures.set(id, entry);
  };
  // Read one ELEVE at a time (formats/xml.ts RecordHandlers); STRUCTURES comes after ELEVES in the
  // file, so each pupil's divisions and groups are filled in once the whole file is read.
  const pupils = recordReader((el): SieclePupil => {
    const eleveId = attrOrChild(el, 'ELEVE_ID') ?? '';
    const rawBirth = textAt(el, 'DATE_NAISS');
    return withOptional<SieclePupil>(
      {
        eleveId,
        lastName: textAt(el, 'NOM_DE_FAMILLE') ?? '',
        firstName: textAt(el, 'PRENOM') ?? '',
        birthDate: frenchDateToIso(rawBirth) ?? rawBirth ?? '',
        divisions: [],
        groups: [],
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
  const root = openBeeExport(file, bytes, 'siecle-eleves', {
    'DONNEES/ELEVES/ELEVE': pupils.take,
    'DONNEES/STRUCTURES/STRUCTURES_ELEVE': takeStructures,
  });
  const header = beeHeader(file, root, 'siecle-eleves');
  const read = pupils.items();
  for (const pupil of read) {
    const s = structures.get(pupil.eleveId);
    if (s) Object.assign(pupil, { divisions: s.divisions, groups: s.groups });
  }
  return { header, pupils: read };
}
