// STS-Web → EDT: sts_emp_<UAI>_<ANNEE>.xml (root STS_EDT), as DTD_STS_EDT.dtd describes it
// (formats/dtd/, a DTD a rectorat application validated real uploads against; checked by
// checks/sts-dtd.ts). UAI and year are ATTRIBUTES here (<UAJ CODE>, <ANNEE_SCOLAIRE ANNEE>); codes
// are attributes too, but a child element of the same name is accepted as well (liberal reading).
// Dates DATE_DEBUT / DATE_FIN: ISO YYYY-MM-DD as pyKol reads them (pykol/lib/bee.py l.327-328);
// JJ/MM/AAAA is still accepted. Later real files (2018) also carry DONNEES/HORAIRES, ALTERNANCES,
// SALLES_COURS: not read (the chain does not use them), reported as information by the DTD check.
import { xmlOnly } from './archive.js';
import { ExchangeFileError } from './errors.js';
import type { StsService, StsStructureFile, StsTeacher } from './types.js';
import { assertRoot, childOf, frenchDateToIso, millesimeOf, parseXmlTree, required, select, textAt, type XmlElement } from './xml.js';

export const STS_EMP_ROOT = 'STS_EDT';

function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const v = el.attrs[name]?.trim();
  return v !== undefined && v !== '' ? v : textAt(el, name);
}

function opt<T extends object>(base: T, values: Record<string, string | undefined>): T {
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (base as Record<string, unknown>)[k] = v;
  return base;
}

// Repeated elements are read by module-level functions handed to map, not by arrows written
// inside it: V8 optimizes a closure made anew at every call once per file (formats/xml.ts TreeBuilder).
function serviceTeacher(t: XmlElement): StsService['teachers'][number] {
  return { id: attr(t, 'ID') ?? '', type: attr(t, 'TYPE') ?? '' };
}

function service(s: XmlElement): StsService {
  return opt<StsService>(
    { subjectCode: attr(s, 'CODE_MATIERE') ?? '', teachers: select(s, 'ENSEIGNANTS/ENSEIGNANT').map(serviceTeacher) },
    { courseMode: attr(s, 'CODE_MOD_COURS') },
  );
}

function services(el: XmlElement): StsService[] {
  return select(el, 'SERVICES/SERVICE').map(service);
}

function codeOf(x: XmlElement): string | undefined {
  return attr(x, 'CODE') ?? attr(x, 'CODE_STRUCTURE') ?? attr(x, 'CODE_MEF');
}

function codes(el: XmlElement, path: string): string[] {
  const found: string[] = [];
  for (const x of select(el, path)) {
    const code = codeOf(x);
    if (code !== undefined) found.push(code);
  }
  return found;
}

function mainTeacherOf(el: XmlElement): string[] {
  const found: string[] = [];
  for (const p of select(el, 'PROFS_PRINC/PROF_PRINC')) {
    const code = textAt(p, 'CODE_STRUCTURE') ?? attr(p, 'CODE_STRUCTURE') ?? '';
    if (code !== '') found.push(code);
  }
  return found;
}

function subject(m: XmlElement): StsStructureFile['subjects'][number] {
  return opt({ code: attr(m, 'CODE') ?? '' }, { codeGestion: textAt(m, 'CODE_GESTION'), shortLabel: textAt(m, 'LIBELLE_COURT'), longLabel: textAt(m, 'LIBELLE_LONG') });
}

function division(d: XmlElement): StsStructureFile['divisions'][number] {
  return opt({ code: attr(d, 'CODE') ?? '', mefs: codes(d, 'MEFS_APPARTENANCE/MEF_APPARTENANCE'), services: services(d) }, { label: textAt(d, 'LIBELLE_LONG') });
}

function group(g: XmlElement): StsStructureFile['groups'][number] {
  return opt(
    {
      code: attr(g, 'CODE') ?? '',
      divisions: codes(g, 'DIVISIONS_APPARTENANCE/DIVISION_APPARTENANCE'),
      mefs: codes(g, 'MEFS_APPARTENANCE/MEF_APPARTENANCE'),
      services: services(g),
    },
    { label: textAt(g, 'LIBELLE_LONG') },
  );
}

function teacher(el: XmlElement): StsTeacher {
  const birth = textAt(el, 'DATE_NAISSANCE');
  return opt<StsTeacher>(
    {
      id: attr(el, 'ID') ?? '',
      type: attr(el, 'TYPE') ?? '',
      lastName: textAt(el, 'NOM_USAGE') ?? textAt(el, 'NOM_PATRONYMIQUE') ?? '',
      firstName: textAt(el, 'PRENOM') ?? '',
      mainTeacherOf: mainTeacherOf(el),
    },
    {
      sex: textAt(el, 'SEXE'),
      civility: textAt(el, 'CIVILITE'),
      birthName: textAt(el, 'NOM_PATRONYMIQUE'),
      birthDate: birth === undefined ? undefined : (frenchDateToIso(birth) ?? birth),
      function: textAt(el, 'FONCTION'),
    },
  );
}

/** The sts_emp of an already parsed tree (the DTD check and the reader share one parse). */
export function stsEmpFromTree(file: string, root: XmlElement): StsStructureFile {
  const kind = 'sts-edt';
  assertRoot(file, root, [STS_EMP_ROOT]);
  const params = childOf(root, 'PARAMETRES');
  if (!params) throw new ExchangeFileError(file, 'malformed', 'bloc PARAMETRES manquant.', root.line);
  const uaj = childOf(params, 'UAJ');
  const yearEl = childOf(params, 'ANNEE_SCOLAIRE');
  const uai = required(file, attr(uaj, 'CODE'), 'code UAI (<UAJ CODE="…">)', uaj?.line ?? params.line);
  const millesime = millesimeOf(file, attr(yearEl, 'ANNEE'), yearEl?.line ?? params.line);
  const academieCode = textAt(uaj, 'ACADEMIE/CODE');
  const structure = childOf(childOf(root, 'DONNEES'), 'STRUCTURE');
  return {
    header: { kind, uai, millesime, ...(root.attrs.VERSION !== undefined && { version: root.attrs.VERSION }) },
    school: opt(
      { uai, ...(academieCode !== undefined && { academie: opt({ code: academieCode }, { label: textAt(uaj, 'ACADEMIE/LIBELLE') }) }) },
      { name: textAt(uaj, 'DENOM_PRINC') },
    ),
    year: opt({ millesime }, { start: frenchDateToIso(textAt(yearEl, 'DATE_DEBUT')), end: frenchDateToIso(textAt(yearEl, 'DATE_FIN')) }),
    subjects: select(root, 'NOMENCLATURES/MATIERES/MATIERE').map(subject),
    teachers: select(root, 'DONNEES/INDIVIDUS/INDIVIDU').map(teacher),
    divisions: select(structure, 'DIVISIONS/DIVISION').map(division),
    groups: select(structure, 'GROUPES/GROUPE').map(group),
  };
}

export function readStsEdt(file: string, bytes: Uint8Array): StsStructureFile {
  return stsEmpFromTree(file, parseXmlTree(file, xmlOnly(file, bytes)));
}

/** `sts_emp_<UAI>_<ANNEE>.xml` (or .zip, as SACoche accepts) → its UAI and year; undefined otherwise. */
export function parseStsEdtFileName(name: string): { uai: string; millesime: number } | undefined {
  const m = /^sts_emp_(\d{7}[A-Z])_(\d{4})\.(xml|zip)$/i.exec(name.replace(/^.*[\\/]/, ''));
  return m ? { uai: m[1]!.toUpperCase(), millesime: Number(m[2]) } : undefined;
}
