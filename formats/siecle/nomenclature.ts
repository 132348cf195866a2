// Nomenclature.xml (root BEE_NOMENCLATURES): MEFs, subjects, which subject is taught in which MEF
// (PROGRAMMES) and the course modes that STS services refer to (MODALITES_COURS).
import type { SiecleNomenclature } from '../types.js';
import { frenchDateToIso, select, textAt } from '../xml.js';
import { attrOrChild, beeHeader, openBeeExport, withOptional } from './header.js';

export function readSiecleNomenclature(file: string, bytes: Uint8Array): SiecleNomenclature {
  const root = openBeeExport(file, bytes, 'siecle-nomenclature');
  return {
    header: beeHeader(file, root, 'siecle-nomenclature'),
    mefs: select(root, 'DONNEES/MEFS/MEF').map((m) =>
      withOptional({ code: attrOrChild(m, 'CODE_MEF') ?? '' }, {
        label: textAt(m, 'LIBELLE_LONG'),
        editionLabel: textAt(m, 'LIBELLE_EDITION'),
        opening: frenchDateToIso(textAt(m, 'DATE_OUVERTURE')),
        closing: frenchDateToIso(textAt(m, 'DATE_FERMETURE')),
      }),
    ),
    subjects: select(root, 'DONNEES/MATIERES/MATIERE').map((m) =>
      withOptional({ code: attrOrChild(m, 'CODE_MATIERE') ?? '' }, {
        codeGestion: textAt(m, 'CODE_GESTION'),
        shortLabel: textAt(m, 'LIBELLE_COURT'),
        longLabel: textAt(m, 'LIBELLE_LONG'),
        nationalCode: textAt(m, 'CODE_MATIERE_NATIONALE'),
      }),
    ),
    programmes: select(root, 'DONNEES/PROGRAMMES/PROGRAMME').map((p) =>
      withOptional(
        { mef: textAt(p, 'CODE_MEF') ?? '', subject: textAt(p, 'CODE_MATIERE') ?? '', modaliteElection: textAt(p, 'CODE_MODALITE_ELECT') ?? '' },
        { hours: textAt(p, 'HORAIRE') },
      ),
    ),
    courseModes: select(root, 'DONNEES/MODALITES_COURS/MODALITE_COURS').map((c) =>
      withOptional({ code: attrOrChild(c, 'CODE_MODALITE_COURS') ?? '' }, { shortLabel: textAt(c, 'LIBELLE_COURT'), longLabel: textAt(c, 'LIBELLE_LONG') }),
    ),
  };
}
