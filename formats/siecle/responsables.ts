// ResponsablesAvecAdresses.xml (root BEE_RESPONSABLES): counts only, since responsables are
// personal data the chain's checks never use.
import type { SiecleHeaderOnly, SiecleResponsables } from '../types.js';
import { xmlOnly } from '../archive.js';
import { assertRoot, parseXmlTree } from '../xml.js';
import { BEE_ROOTS, beeHeader, openBeeExport } from './header.js';

export function readSiecleResponsables(file: string, bytes: Uint8Array): SiecleResponsables {
  // Counted as they close, never kept (formats/xml.ts RecordHandlers).
  let persons = 0;
  let links = 0;
  const root = openBeeExport(file, bytes, 'siecle-responsables', {
    'DONNEES/PERSONNES/PERSONNE': () => (persons += 1),
    'DONNEES/RESPONSABLES/RESPONSABLE_ELEVE': () => (links += 1),
  });
  return { header: beeHeader(file, root, 'siecle-responsables'), persons, links };
}

/** Etablissements.xml and Geographique.xml: header only (nothing in them is checked). */
export function readSiecleHeaderOnly(file: string, bytes: Uint8Array, kind: 'siecle-etablissements' | 'siecle-geographique'): SiecleHeaderOnly {
  // Their real roots are unknown: accept the assumed one or any BEE_ root (the caller chose the kind).
  const xml = xmlOnly(file, bytes);
  const root = parseXmlTree(file, xml);
  if (!root.name.startsWith('BEE_')) assertRoot(file, root, [BEE_ROOTS[kind]]);
  return { header: beeHeader(file, root, kind) };
}
