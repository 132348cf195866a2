// The envelope shared by every BEE export (SPEC-BEE-EXPORT §2.1): PARAMETRES/{UAJ, ANNEE_SCOLAIRE,
// DATE_EXPORT JJ/MM/AAAA, HORODATAGE JJ/MM/AAAA HH:MM:SS} and a root @VERSION "à titre informatif".
import { xmlOnly } from '../archive.js';
import { ExchangeFileError } from '../errors.js';
import type { FileHeader, FileKind } from '../types.js';
import { assertRoot, childOf, frenchDateTimeToIso, frenchDateToIso, millesimeOf, parseXmlTree, required, textAt, type RecordHandlers, type XmlElement } from '../xml.js';

/**
 * Root element of each export. Etablissements and Geographique were never seen (no real file, no
 * XSD): their roots are assumed by analogy with the others, BEE_ETABLISSEMENTS / BEE_GEOGRAPHIQUE,
 * and the file name breaks the tie when the root is another BEE_ name (see detect.ts).
 */
export const BEE_ROOTS = {
  'siecle-eleves': 'BEE_ELEVES',
  'siecle-structures': 'BEE_STRUCTURES',
  'siecle-nomenclature': 'BEE_NOMENCLATURES',
  'siecle-communs': 'BEE_COMMUN',
  'siecle-responsables': 'BEE_RESPONSABLES',
  'siecle-etablissements': 'BEE_ETABLISSEMENTS',
  'siecle-geographique': 'BEE_GEOGRAPHIQUE',
} as const satisfies Partial<Record<FileKind, string>>;

export type SiecleKind = keyof typeof BEE_ROOTS;

/** Parses the XML, or the XML inside an ExportXML_<Name>.zip, and checks its root. */
export function openBeeExport(file: string, bytes: Uint8Array, kind: SiecleKind, records?: RecordHandlers): XmlElement {
  const xml = xmlOnly(file, bytes);
  const root = parseXmlTree(file, xml, records && { records });
  assertRoot(file, root, [BEE_ROOTS[kind]]);
  return root;
}

/** Bytes decoded for a header read before falling back to the whole file (PARAMETRES comes first). */
const HEAD_BYTES = 16 * 1024;

/**
 * Root and PARAMETRES from the first HEAD_BYTES only (decoding a lycée's 2 MB pupils export costs
 * more than reading its header), cut after a '>' so that no character is split (an ASCII byte in
 * UTF-8 and in ISO-8859-15 alike); undefined when PARAMETRES does not close there.
 */
function headOf(file: string, xml: Uint8Array): XmlElement | undefined {
  const cut = xml.length > HEAD_BYTES ? xml.lastIndexOf(0x3e, HEAD_BYTES) + 1 : 0;
  if (cut <= 0) return undefined;
  try {
    const root = parseXmlTree(file, xml.subarray(0, cut), { stopAfter: 'PARAMETRES' });
    return childOf(root, 'PARAMETRES') ? root : undefined;
  } catch {
    return undefined; // cut before the end of PARAMETRES, or bad: the whole read says which
  }
}

/**
 * The header of a SIECLE export, reading no further than PARAMETRES: what a step needs to check a
 * file's school and millésime before handing it on (the application that imports it reads the rest).
 */
export function readBeeHeader<K extends SiecleKind>(file: string, bytes: Uint8Array, kind: K): FileHeader & { kind: K } {
  const xml = xmlOnly(file, bytes);
  const root = headOf(file, xml) ?? parseXmlTree(file, xml, { stopAfter: 'PARAMETRES' });
  // Etablissements and Geographique: any BEE_ root (theirs are assumed), as readSiecleHeaderOnly.
  const unknownRoot = (kind === 'siecle-etablissements' || kind === 'siecle-geographique') && root.name.startsWith('BEE_');
  if (!unknownRoot) assertRoot(file, root, [BEE_ROOTS[kind]]);
  return beeHeader(file, root, kind);
}

export function beeHeader<K extends SiecleKind>(file: string, root: XmlElement, kind: K): FileHeader & { kind: K } {
  const params = childOf(root, 'PARAMETRES');
  if (!params) throw new ExchangeFileError(file, 'malformed', 'bloc PARAMETRES manquant.', root.line);
  const exportedAt = frenchDateTimeToIso(textAt(params, 'HORODATAGE')) ?? frenchDateToIso(textAt(params, 'DATE_EXPORT'));
  const header: FileHeader & { kind: K } = {
    kind,
    uai: required(file, textAt(params, 'UAJ'), 'UAJ', params.line),
    millesime: millesimeOf(file, textAt(params, 'ANNEE_SCOLAIRE'), params.line),
  };
  if (exportedAt !== undefined) header.exportedAt = exportedAt;
  if (root.attrs.VERSION !== undefined) header.version = root.attrs.VERSION;
  return header;
}

/** An identifier given as an attribute (real files) or as a child element (some tools). */
export function attrOrChild(el: XmlElement, name: string): string | undefined {
  const v = el.attrs[name]?.trim();
  return v !== undefined && v !== '' ? v : textAt(el, name);
}

/** Sets optional properties only when a value exists (no `undefined` keys in the results). */
export function withOptional<T extends object>(base: T, optional: Record<string, string | number | undefined>): T {
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (base as Record<string, unknown>)[k] = v;
  return base;
}
