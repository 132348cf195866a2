// Communs.xml (root BEE_COMMUN): the school calendar SIECLE uses as "période scolaire autorisée".
// No real file was found (shared/formats/siecle-bee-exports/COMMUNS.md).
import { ExchangeFileError } from '../errors.js';
import type { SiecleCommuns, SieclePeriod } from '../types.js';
import { childOf, frenchDateToIso, select, textAt, type XmlElement } from '../xml.js';
import { beeHeader, openBeeExport, withOptional } from './header.js';

/**
 * ASSUMPTIONS, kept here and nowhere else. The spec (§7.4, §7.5) lists the fields of the periods
 * and of the closing calendar but not their wrapper elements: we assume PERIODES/PERIODE and
 * CALENDRIER_FERMETURE/FERMETURE. Year bounds: the spec writes DATE_DEB_ELEVE, Gepi (reading real
 * files) DATE_DEBUT_ELEVE; both are accepted, the first found wins.
 */
export const COMMUNS_ASSUMPTIONS = {
  periodsPath: 'DONNEES/PERIODES/PERIODE',
  closuresPath: 'DONNEES/CALENDRIER_FERMETURE/FERMETURE',
  pupilStart: ['DATE_DEB_ELEVE', 'DATE_DEBUT_ELEVE'],
  pupilEnd: ['DATE_FIN_ELEVE'],
  teacherStart: ['DATE_DEB_PROF', 'DATE_DEBUT_PROF'],
  teacherEnd: ['DATE_FIN_PROF'],
} as const;

function dateOf(el: XmlElement | undefined, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = frenchDateToIso(textAt(el, n));
    if (v !== undefined) return v;
  }
  return undefined;
}

export function readSiecleCommuns(file: string, bytes: Uint8Array): SiecleCommuns {
  const root = openBeeExport(file, bytes, 'siecle-communs');
  const a = COMMUNS_ASSUMPTIONS;
  const year = childOf(childOf(root, 'DONNEES'), 'ANNEE_SCOLAIRE');
  const start = dateOf(year, a.pupilStart);
  const end = dateOf(year, a.pupilEnd);
  if (!year || start === undefined || end === undefined) {
    throw new ExchangeFileError(file, 'malformed', 'dates de début et de fin d\'année des élèves (DONNEES/ANNEE_SCOLAIRE) manquantes.', year?.line ?? root.line);
  }
  const previous = childOf(childOf(root, 'DONNEES'), 'ANNEE_SCOLAIRE_AD');
  const prevStart = dateOf(previous, a.pupilStart);
  const prevEnd = dateOf(previous, a.pupilEnd);
  const periods = select(root, a.periodsPath).flatMap((p): SieclePeriod[] => {
    const ps = frenchDateToIso(textAt(p, 'DATE_DEBUT'));
    const pe = frenchDateToIso(textAt(p, 'DATE_FIN'));
    if (ps === undefined || pe === undefined) return [];
    const index = textAt(p, 'INDICE');
    return [withOptional<SieclePeriod>({ code: textAt(p, 'CODE_PERIODE') ?? '', start: ps, end: pe }, {
      label: textAt(p, 'LL_PERIODE'), index: index !== undefined && /^\d+$/.test(index) ? Number(index) : undefined, type: textAt(p, 'CODE_TYPE_PERIODE'),
    })];
  });
  const closures = select(root, a.closuresPath).flatMap((c) => {
    const cs = frenchDateToIso(textAt(c, 'DATE_DEBUT'));
    const ce = frenchDateToIso(textAt(c, 'DATE_FIN'));
    return cs === undefined || ce === undefined ? [] : [withOptional({ start: cs, end: ce }, { reason: textAt(c, 'LC_MOTIF') ?? textAt(c, 'LL_MOTIF'), label: textAt(c, 'LL_FERMETURE') })];
  });
  return {
    header: beeHeader(file, root, 'siecle-communs'),
    school: withOptional({}, { name: textAt(root, 'DONNEES/UAJ/DENOM_PRINC') }),
    schoolYear: withOptional({ start, end }, { teacherStart: dateOf(year, a.teacherStart), teacherEnd: dateOf(year, a.teacherEnd) }),
    ...(prevStart !== undefined && prevEnd !== undefined && { previousYear: { start: prevStart, end: prevEnd } }),
    periods,
    closures,
  };
}
