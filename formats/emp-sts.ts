// EDT → STS-Web: emp_sts_<UAI>_<ANNEE>.xml (root EDT_STS), read as DTD_EDT_STS.dtd describes it
// (formats/dtd/, a DTD a rectorat application validated real uploads against):
//   EDT_STS (PARAMETRES (UAJ, ANNEE_SCOLAIRE?, APPLICATION_SOURCE?),
//            DONNEES (HORAIRES, ALTERNANCES, SALLES_COURS?, INDIVIDUS, STRUCTURE))
// UAJ and ANNEE_SCOLAIRE are TEXT here (sts_emp carries them as attributes). Liberal in what it
// reads: the attribute form UAJ@CODE / ANNEE_SCOLAIRE@ANNEE is accepted too (the DTD check reports
// it, checks/sts-dtd.ts). The year is optional in the DTD: without it, the official file name
// gives it; without either, the file cannot be filed under a school year and is refused.
import { xmlOnly } from './archive.js';
import { ExchangeFileError } from './errors.js';
import type { EmpStsCourse, EmpStsFile, EmpStsService } from './types.js';
import { assertRoot, childOf, parseXmlTree, required, select, textAt, type XmlElement } from './xml.js';

export const EMP_STS_ROOT = 'EDT_STS';

/** `emp_sts_<UAI>_<ANNEE>.xml` (or .zip) → its UAI and year; undefined otherwise. */
export function parseEmpStsFileName(name: string): { uai: string; millesime: number } | undefined {
  const m = /^emp_sts_(\d{7}[A-Z])_(\d{4})\.(xml|zip)$/i.exec(name.replace(/^.*[\\/]/, ''));
  return m ? { uai: m[1]!.toUpperCase(), millesime: Number(m[2]) } : undefined;
}

/** Text of the element, or (liberal) the named attribute of it. */
function textOrAttr(el: XmlElement | undefined, attr: string): string | undefined {
  if (!el) return undefined;
  const text = el.children.length === 0 ? el.text.trim() : '';
  if (text !== '') return text;
  const value = el.attrs[attr]?.trim();
  return value !== undefined && value !== '' ? value : undefined;
}

function opt<T extends object>(base: T, values: Record<string, string | undefined>): T {
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (base as Record<string, unknown>)[k] = v;
  return base;
}

/**
 * ANNEE_SCOLAIRE's text: the DTD says #PCDATA, not its format. "2018" is what sts_emp's @ANNEE
 * and the BEE files write; "2018-2019" / "2018/2019" are accepted as the year they start
 * (ASSUMED, formats/ASSUMPTIONS.md EMP-3: no real emp_sts file was found).
 */
function millesimeText(file: string, value: string, line: number): number {
  const m = /^(\d{4})(?:\s*[-/]\s*(\d{4}))?$/.exec(value);
  if (!m || (m[2] !== undefined && Number(m[2]) !== Number(m[1]) + 1)) {
    throw new ExchangeFileError(file, 'malformed', `année scolaire « ${value} » invalide (AAAA attendu, par exemple 2018).`, line);
  }
  return Number(m[1]);
}

function course(c: XmlElement): EmpStsCourse {
  return opt<EmpStsCourse>(
    { alternation: textAt(c, 'CODE_ALTERNANCE') ?? '', day: textAt(c, 'JOUR') ?? '', start: textAt(c, 'HEURE_DEBUT') ?? '', duration: textAt(c, 'DUREE') ?? '' },
    { room: textAt(c, 'CODE_SALLE') },
  );
}

// The readers of the repeated elements are module-level functions handed to map, not arrows
// written inside it: an arrow is a new closure at every call of its parent, and V8 optimizes each
// such closure again, once per file (see formats/xml.ts TreeBuilder).
function teacher(t: XmlElement): EmpStsService['teachers'][number] {
  return opt({ id: t.attrs.ID?.trim() ?? '', courses: select(t, 'COURS_RATTACHES/COURS').map(course) }, {
    type: t.attrs.TYPE?.trim() || undefined, hours: textAt(t, 'HEURES_AGENT'), weighting: textAt(t, 'TAUX_PONDERATION'),
  });
}

function service(s: XmlElement): EmpStsService {
  return opt<EmpStsService>(
    { subjectCode: s.attrs.CODE_MATIERE?.trim() ?? '', teachers: select(s, 'ENSEIGNANTS/ENSEIGNANT').map(teacher) },
    { courseMode: s.attrs.CODE_MOD_COURS?.trim() || undefined, structureHours: textAt(s, 'HEURES_STRUCTURE'), coTeaching: textAt(s, 'CO_ENS') },
  );
}

function services(el: XmlElement): EmpStsService[] {
  return select(el, 'SERVICES/SERVICE').map(service);
}

const codeOf = (el: XmlElement): string => el.attrs.CODE?.trim() ?? '';
const idOf = (el: XmlElement): string => el.attrs.ID?.trim() ?? '';
const nonEmpty = (value: string): boolean => value !== '';
const trimmedText = (el: XmlElement): string => el.text.trim();

function timeSlot(h: XmlElement): EmpStsFile['timeSlots'][number] {
  return { day: h.attrs.JOUR?.trim() ?? '', start: textAt(h, 'DEBUT_COURS') ?? '', end: textAt(h, 'FIN_COURS') ?? '' };
}

function alternation(a: XmlElement): EmpStsFile['alternations'][number] {
  return {
    code: codeOf(a), shortLabel: textAt(a, 'LIBELLE_COURT') ?? '', longLabel: textAt(a, 'LIBELLE_LONG') ?? '',
    weeks: select(a, 'SEMAINES/DATE_DEBUT_SEMAINE').map(trimmedText),
  };
}

function room(r: XmlElement): EmpStsFile['rooms'][number] {
  return opt({ code: codeOf(r) }, { roomGroup: textAt(r, 'GROUPE_SALLE'), location: textAt(r, 'LOCALISATION') });
}

function division(d: XmlElement): EmpStsFile['divisions'][number] {
  return { code: codeOf(d), services: services(d) };
}

function group(g: XmlElement): EmpStsFile['groups'][number] {
  return opt(
    {
      code: codeOf(g),
      divisions: select(g, 'DIVISIONS_APPARTENANCE/DIVISION_APPARTENANCE').map(codeOf).filter(nonEmpty),
      services: services(g),
    },
    { label: textAt(g, 'LIBELLE_LONG'), expectedCount: textAt(g, 'EFFECTIF_PREVU'), maxCount: textAt(g, 'EFFECTIF_MAX_EDT') },
  );
}

/** The emp_sts of an already parsed tree (the DTD check and the reader share one parse). */
export function empStsFromTree(file: string, root: XmlElement, innerName?: string): EmpStsFile {
  assertRoot(file, root, [EMP_STS_ROOT]);
  const params = childOf(root, 'PARAMETRES');
  if (!params) throw new ExchangeFileError(file, 'malformed', 'bloc PARAMETRES manquant.', root.line);
  const uaj = childOf(params, 'UAJ');
  const uai = required(file, textOrAttr(uaj, 'CODE'), 'code UAI (<UAJ>)', uaj?.line ?? params.line).toUpperCase();
  const yearEl = childOf(params, 'ANNEE_SCOLAIRE');
  const yearText = textOrAttr(yearEl, 'ANNEE');
  let millesime: number;
  let yearFrom: EmpStsFile['yearFrom'];
  if (yearText !== undefined) {
    millesime = millesimeText(file, yearText, yearEl?.line ?? params.line);
    yearFrom = 'ANNEE_SCOLAIRE';
  } else {
    const named = parseEmpStsFileName(file) ?? (innerName === undefined ? undefined : parseEmpStsFileName(innerName));
    if (!named) {
      throw new ExchangeFileError(
        file, 'malformed',
        "année scolaire inconnue : ni <ANNEE_SCOLAIRE> dans PARAMETRES, ni nom officiel emp_sts_<UAI>_<AAAA>.xml. Renommez le fichier comme EDT l'exporte ou exportez-le de nouveau.",
        params.line,
      );
    }
    millesime = named.millesime;
    yearFrom = 'file-name';
  }
  const donnees = childOf(root, 'DONNEES');
  const structure = childOf(donnees, 'STRUCTURE');
  const applicationSource = textAt(params, 'APPLICATION_SOURCE');
  return {
    header: { kind: 'edt-sts', uai, millesime },
    yearFrom,
    ...(applicationSource !== undefined && { applicationSource }),
    timeSlots: select(donnees, 'HORAIRES/HORAIRE').map(timeSlot),
    alternations: select(donnees, 'ALTERNANCES/ALTERNANCE').map(alternation),
    rooms: select(donnees, 'SALLES_COURS/SALLE_COURS').map(room),
    teacherIds: select(donnees, 'INDIVIDUS/INDIVIDU').map(idOf).filter(nonEmpty),
    divisions: select(structure, 'DIVISIONS/DIVISION').map(division),
    groups: select(structure, 'GROUPES/GROUPE').map(group),
  };
}

/** `bytes`: the XML (a zip is opened first by openXml, which gives the name of its XML as `innerName`). */
export function readEmpSts(file: string, bytes: Uint8Array, innerName?: string): EmpStsFile {
  return empStsFromTree(file, parseXmlTree(file, xmlOnly(file, bytes)), innerName);
}
