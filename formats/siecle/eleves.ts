// ElevesSansAdresses.xml / ElevesAvecAdresses.xml (root BEE_ELEVES). Addresses are not read:
// the chain never needs them and they are personal data.
import type { SiecleEleves, SieclePupil } from '../types.js';
import { frenchDateToIso, recordReader, select, textAt, type RecordSink, type XmlElement } from '../xml.js';
import { attrOrChild, beeHeader, openBeeExport, withOptional } from './header.js';

/** STRUCTURES_ELEVE records: each pupil's divisions and groups, by ELEVE_ID. */
class PupilStructures implements RecordSink {
  readonly byPupil = new Map<string, { divisions: string[]; groups: string[] }>();

  take(se: XmlElement): void {
    const id = attrOrChild(se, 'ELEVE_ID') ?? '';
    const entry = this.byPupil.get(id) ?? { divisions: [], groups: [] };
    for (const s of select(se, 'STRUCTURE')) {
      const code = textAt(s, 'CODE_STRUCTURE');
      if (code === undefined) continue;
      (textAt(s, 'TYPE_STRUCTURE') === 'G' ? entry.groups : entry.divisions).push(code);
    }
    this.byPupil.set(id, entry);
  }
}

function readPupil(el: XmlElement): SieclePupil {
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
}

export function readSiecleEleves(file: string, bytes: Uint8Array): SiecleEleves {
  // Read one ELEVE at a time (formats/xml.ts RecordHandlers, with module-level readers: see
  // RecordSink); STRUCTURES comes after ELEVES in the file, so each pupil's divisions and groups
  // are filled in once the whole file is read.
  const pupils = recordReader(readPupil);
  const structures = new PupilStructures();
  const root = openBeeExport(file, bytes, 'siecle-eleves', {
    'DONNEES/ELEVES/ELEVE': pupils,
    'DONNEES/STRUCTURES/STRUCTURES_ELEVE': structures,
  });
  const header = beeHeader(file, root, 'siecle-eleves');
  const read = pupils.items();
  for (const pupil of read) {
    const s = structures.byPupil.get(pupil.eleveId);
    if (s) Object.assign(pupil, { divisions: s.divisions, groups: s.groups });
  }
  return { header, pupils: read };
}
