// How big an exchange file may be, per kind: every read is bounded by these before it starts
// (from `stat`, from a zip's central directory, or while inflating), never after reading.
//
// Measured on the generators' 2,500-pupil lycée (generators/school.ts), the largest school they
// make: ElevesSansAdresses.xml 4.2 MB (93,000 elements), ResponsablesAvecAdresses 2.7 MB,
// Structures 0.22 MB, sts_emp / emp_sts 0.36 MB, the élève-groupe XML 1.1 MB (30,000 elements),
// every zip < 0.2 MB. France's largest lycées and cités scolaires hold about 5,000 pupils, and
// real exports carry more fields than ours: the caps leave 4 to 8 times that (and LSU keeps its
// own documented "100 Mo").
import type { DetectedKind } from './detect.js';

const MIB = 1024 * 1024;

/** Uncompressed XML, per kind. */
export const XML_CAPS: Record<DetectedKind, number> = {
  'sts-edt': 16 * MIB,
  'edt-sts': 16 * MIB,
  'siecle-eleves': 32 * MIB,
  'siecle-responsables': 32 * MIB,
  'siecle-structures': 16 * MIB,
  'siecle-nomenclature': 16 * MIB,
  'siecle-communs': 16 * MIB,
  'siecle-etablissements': 16 * MIB,
  'siecle-geographique': 16 * MIB,
  'siecle-prive': 32 * MIB,
  elegroupe: 16 * MIB,
  'lsu-bilans': 100 * MIB,
};

/** The largest file of any kind (LSU's own limit): nothing bigger is even opened. */
export const MAX_ANY_BYTES = 100 * MIB;

/** Elements of one document built as a tree (formats/xml.ts): 6 times the 2,500-pupil lycée's pupils export (93,000), twice a 5,000-pupil one with addresses; about 60 Mo of tree. */
export const MAX_TREE_ELEMENTS = 600_000;
/** Nesting depth: exchange files are 6 to 8 levels deep. */
export const MAX_TREE_DEPTH = 64;

/**
 * The cap that applies to a file before its kind is known, from its name only: a zip is one of
 * SIECLE's exports or an élève-groupe file (its XML is bounded by their caps, and so is the zip,
 * which is always smaller); an XML may be LSU's.
 */
export function capBeforeKind(name: string): number {
  const lower = name.toLowerCase();
  if (!lower.endsWith('.zip')) return MAX_ANY_BYTES;
  if (/elegroupe/.test(lower)) return XML_CAPS.elegroupe;
  if (/exportxml_(eleves|responsables)/.test(lower)) return XML_CAPS['siecle-eleves'];
  if (/exportxml_/.test(lower)) return XML_CAPS['siecle-structures'];
  return XML_CAPS['siecle-eleves'];
}

/** "12,3 Mo" as users read sizes. */
export function mo(bytes: number): string {
  const value = bytes / MIB;
  return `${(value >= 10 ? value.toFixed(0) : value.toFixed(1)).replace('.', ',')} Mo`;
}
