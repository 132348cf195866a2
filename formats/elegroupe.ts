// PRONOTE → SIECLE élève-groupe links: `<UAI>ELEGROUPE<AAAA><AAMMJJhhmmss>.xml` (root
// IMPORT_ELEVES) inside a zip of the same base name (official spec SIECLE-SFD-
// LiensEleveGroupesLogicielPrive v16.5, §4.1 and annex 9.1; schema version 1.4).
import iconv from 'iconv-lite';
import { writeZip, xmlOnly } from './archive.js';
import { ExchangeFileError } from './errors.js';
import type { EleGroupeFile, EleGroupeIdKind, EleGroupePupil, IsoDateTime } from './types.js';
import {
  assertRoot, childOf, escapeXml, frenchDateToIso, isoDateToFrench, millesimeOf, parseXmlTree, recordReader, required, select, textAt,
  type XmlElement,
} from './xml.js';

/**
 * The annex 9.1 schema was published with `encoding="iso-8859-15"`, like every SIECLE file; SIECLE
 * is a Latin-9 application. Characters outside Latin-9 are written as character references so that
 * no name is ever turned into "?".
 */
export const ELEGROUPE_ENCODING = 'ISO-8859-15';
export const ELEGROUPE_VERSION = '1.4';
/** NUM_ENVOI and LOGICIEL are required by the schema but "non utilisés" by SIECLE. */
export const ELEGROUPE_DEFAULT_NUM_ENVOI = 1;
export const ELEGROUPE_DEFAULT_LOGICIEL = 'SYNCHRO';

const ID_KINDS: readonly EleGroupeIdKind[] = ['ELEVE_ID', 'ID_NATIONAL', 'ID_PRV_ELE'];
const NAME_PATTERN = /^(\d{7}[A-Za-z])ELEGROUPE(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.(xml|zip)$/i;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `AAMMJJhhmmss` of a Date (its local time) or of an ISO date-time string (taken literally). */
function timestamp12(at: Date | IsoDateTime): string {
  if (typeof at === 'string') {
    const m = /^\d{2}(\d{2})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(at);
    if (!m) throw new Error(`Horodatage invalide « ${at} » : AAAA-MM-JJTHH:MM:SS attendu.`);
    return `${m[1]}${m[2]}${m[3]}${m[4] ?? '00'}${m[5] ?? '00'}${m[6] ?? '00'}`;
  }
  return `${pad(at.getFullYear() % 100)}${pad(at.getMonth() + 1)}${pad(at.getDate())}${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
}

/** Base name without extension, e.g. `6200003JELEGROUPE2009070515100159`. */
export function eleGroupeFileName(uai: string, millesime: number, generatedAt: Date | IsoDateTime): string {
  return `${uai}ELEGROUPE${millesime}${timestamp12(generatedAt)}`;
}

/** Parses an élève-groupe .xml or .zip name; undefined when it is not in the official format. */
export function parseEleGroupeFileName(name: string): { uai: string; millesime: number; timestamp: IsoDateTime } | undefined {
  const base = name.replace(/^.*[\\/]/, '');
  const m = NAME_PATTERN.exec(base);
  if (!m) return undefined;
  const [, uai, year, yy, mo, dd, hh, mi, ss] = m as unknown as string[];
  const n = (s: string | undefined): number => Number(s);
  if (n(mo) < 1 || n(mo) > 12 || n(dd) < 1 || n(dd) > 31 || n(hh) > 23 || n(mi) > 59 || n(ss) > 59) return undefined;
  return { uai: uai!.toUpperCase(), millesime: n(year), timestamp: `20${yy}-${mo}-${dd}T${hh}:${mi}:${ss}` };
}

// ---------------------------------------------------------------------------------------------
// Reading

// Loops and module-level functions rather than arrows made per pupil (formats/xml.ts TreeBuilder).
function pupilGroup(g: XmlElement): EleGroupePupil['groups'][number] {
  const start = textAt(g, 'DATE_DEBUT_GROUPE');
  const end = textAt(g, 'DATE_FIN_GROUPE');
  return { code: textAt(g, 'CODE_GROUPE') ?? '', ...(start && { start }), ...(end && { end }) };
}

function idKindOf(el: XmlElement): (typeof ID_KINDS)[number] | undefined {
  for (const k of ID_KINDS) if (textAt(el, k) !== undefined) return k;
  return undefined;
}

function readPupil(el: XmlElement, file: string): EleGroupePupil {
  const kind = idKindOf(el);
  if (!kind) throw new ExchangeFileError(file, 'malformed', 'élève sans identifiant (ELEVE_ID, ID_NATIONAL ou ID_PRV_ELE).', el.line);
  const pupil: EleGroupePupil = {
    id: { kind, value: textAt(el, kind)! },
    // GEPI writes <NOM> where the schema says NOM_DE_FAMILLE: read it, the XSD check reports it.
    lastName: textAt(el, 'NOM_DE_FAMILLE') ?? textAt(el, 'NOM') ?? '',
    firstName: textAt(el, 'PRENOM') ?? '',
    // Kept as found: a JJ/MM/AAAA copied from a BEE export must stay visible to the checks.
    birthDate: textAt(el, 'DATE_NAISS') ?? '',
    groups: select(el, 'GROUPES/GROUPE').map(pupilGroup),
    line: el.line,
  };
  for (const [key, tag] of [['usageName', 'NOM_USAGE'], ['firstName2', 'PRENOM2'], ['firstName3', 'PRENOM3']] as const) {
    const value = textAt(el, tag);
    if (value !== undefined) pupil[key] = value;
  }
  return pupil;
}

/** Reads an élève-groupe file from its XML bytes (the zip holding it is opened by openXml first). */
export function readEleGroupe(file: string, bytes: Uint8Array): EleGroupeFile {
  const xml = xmlOnly(file, bytes);
  // One ELEVE at a time (formats/xml.ts RecordHandlers); a pupil's error is thrown where the
  // pupils were read before, after the header's checks.
  const pupils = recordReader(readPupil, file);
  const root = parseXmlTree(file, xml, { records: { 'DONNEES/ELEVES/ELEVE': pupils } });
  assertRoot(file, root, ['IMPORT_ELEVES']);
  const params = childOf(root, 'PARAMETRES');
  if (!params) throw new ExchangeFileError(file, 'malformed', 'bloc PARAMETRES manquant.', root.line);
  const rawDate = required(file, textAt(params, 'DATE_IMPORT'), 'DATE_IMPORT', params.line);
  const importDate = frenchDateToIso(rawDate) ?? rawDate;
  const version = root.attrs.VERSION ?? '';
  const numEnvoi = textAt(params, 'NUM_ENVOI');
  const logiciel = textAt(params, 'LOGICIEL');
  return {
    header: {
      kind: 'elegroupe',
      uai: required(file, textAt(params, 'UAJ'), 'UAJ', params.line),
      millesime: millesimeOf(file, textAt(params, 'ANNEE_SCOLAIRE'), params.line),
      exportedAt: importDate,
      version,
    },
    version,
    importDate,
    ...(numEnvoi !== undefined && /^\d+$/.test(numEnvoi) && { numEnvoi: Number(numEnvoi) }),
    ...(logiciel !== undefined && { logiciel }),
    pupils: pupils.items(),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

function latin9(value: string): string {
  // Latin-9 = Latin-1 with 8 code points replaced (€ Š š Ž ž Œ œ Ÿ); everything else → &#N;.
  return Array.from(escapeXml(value), (ch) => {
    const code = ch.codePointAt(0)!;
    const replacedInLatin9 = [0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe].includes(code);
    const addedInLatin9 = '€ŠšŽžŒœŸ'.includes(ch);
    return (code < 0x100 && !replacedInLatin9) || addedInLatin9 ? ch : `&#${code};`;
  }).join('');
}

function element(indent: number, tag: string, value: string | number | undefined): string {
  return value === undefined ? '' : `${'\t'.repeat(indent)}<${tag}>${latin9(String(value))}</${tag}>\n`;
}

/** The XML text (before encoding) of an élève-groupe file, one element per line. */
export function eleGroupeXml(file: EleGroupeFile): string {
  const out: string[] = [
    `<?xml version="1.0" encoding="${ELEGROUPE_ENCODING}"?>\n`,
    `<IMPORT_ELEVES VERSION="${escapeXml(file.version || ELEGROUPE_VERSION)}">\n`,
    '\t<PARAMETRES>\n',
    element(2, 'UAJ', file.header.uai),
    element(2, 'ANNEE_SCOLAIRE', file.header.millesime),
    element(2, 'DATE_IMPORT', isoDateToFrench(file.importDate)),
    element(2, 'NUM_ENVOI', file.numEnvoi ?? ELEGROUPE_DEFAULT_NUM_ENVOI),
    element(2, 'LOGICIEL', file.logiciel ?? ELEGROUPE_DEFAULT_LOGICIEL),
    '\t</PARAMETRES>\n\t<DONNEES>\n\t\t<ELEVES>\n',
  ];
  for (const p of file.pupils) {
    out.push('\t\t\t<ELEVE>\n', element(4, p.id.kind, p.id.value), element(4, 'NOM_DE_FAMILLE', p.lastName), element(4, 'NOM_USAGE', p.usageName));
    out.push(element(4, 'PRENOM', p.firstName), element(4, 'PRENOM2', p.firstName2), element(4, 'PRENOM3', p.firstName3));
    out.push(element(4, 'DATE_NAISS', p.birthDate), '\t\t\t\t<GROUPES>\n');
    for (const g of p.groups) {
      out.push('\t\t\t\t\t<GROUPE>\n', element(6, 'CODE_GROUPE', g.code), element(6, 'DATE_DEBUT_GROUPE', g.start));
      out.push(element(6, 'DATE_FIN_GROUPE', g.end), '\t\t\t\t\t</GROUPE>\n');
    }
    out.push('\t\t\t\t</GROUPES>\n\t\t\t</ELEVE>\n');
  }
  out.push('\t\t</ELEVES>\n\t</DONNEES>\n</IMPORT_ELEVES>\n');
  return out.join('');
}

/**
 * Writes the élève-groupe file and its zip, both named after the UAI, the millésime and the
 * generation time. That time is `generatedAt` when given, else the header's exportedAt, else the
 * import date at midnight: never the clock, so the same input always gives the same bytes.
 */
export function writeEleGroupe(
  file: EleGroupeFile,
  options: { generatedAt?: Date | IsoDateTime } = {},
): { xmlName: string; zipName: string; xml: Buffer; zip: Buffer } {
  const at = options.generatedAt ?? (file.header.exportedAt?.includes('T') ? file.header.exportedAt : `${file.importDate}T00:00:00`);
  const base = eleGroupeFileName(file.header.uai, file.header.millesime, at);
  const xml = iconv.encode(eleGroupeXml(file), ELEGROUPE_ENCODING);
  const when = typeof at === 'string' ? new Date(`${at.length === 10 ? `${at}T00:00:00` : at}`) : at;
  const zip = writeZip([{ name: `${base}.xml`, data: xml }], Number.isNaN(when.getTime()) ? undefined : when);
  return { xmlName: `${base}.xml`, zipName: `${base}.zip`, xml, zip };
}
