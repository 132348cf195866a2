// What is this file? Decided by its root element, and by its name where the root is shared
// (IMPORT_ELEVES: élève-groupe vs "import du privé"; unknown BEE_ roots of Etablissements and
// Geographique). Zips are opened (safely) and their single XML looked at.
import { Readable } from 'node:stream';
import { openXml, type ZipEntryData } from './archive.js';
import { readEleGroupe } from './elegroupe.js';
import { readEmpSts } from './emp-sts.js';
import { ExchangeFileError } from './errors.js';
import { readLsuBilans } from './lsu-bilans.js';
import {
  readSiecleCommuns, readSiecleEleves, readSiecleHeaderOnly, readSiecleNomenclature, readSiecleResponsables, readSiecleStructures,
} from './siecle-exports.js';
import { beeHeader } from './siecle/header.js';
import { readStsEdt } from './sts-edt.js';
import type {
  EleGroupeFile, EmpStsFile, FileHeader, FileKind, LsuBilan, LsuHeader, LsuReferentials, SiecleCommuns, SiecleEleves, SiecleHeaderOnly,
  SiecleNomenclature, SiecleResponsables, SiecleStructures, StsStructureFile,
} from './types.js';
import { capBeforeKind, XML_CAPS } from './limits.js';
import { assertReadableSize, assertRoot, parseXmlTree } from './xml.js';

/** The "import du privé" (PRIVE) file shares IMPORT_ELEVES with élève-groupe; we only read its header. */
export type PriveHeader = Omit<FileHeader, 'kind'> & { kind: 'siecle-prive' };
export type DetectedKind = FileKind | 'siecle-prive';

const ROOT_KINDS: Record<string, DetectedKind> = {
  STS_EDT: 'sts-edt',
  EDT_STS: 'edt-sts',
  BEE_ELEVES: 'siecle-eleves',
  BEE_STRUCTURES: 'siecle-structures',
  BEE_NOMENCLATURES: 'siecle-nomenclature',
  BEE_COMMUN: 'siecle-communs',
  BEE_RESPONSABLES: 'siecle-responsables',
  BEE_ETABLISSEMENTS: 'siecle-etablissements',
  BEE_GEOGRAPHIQUE: 'siecle-geographique',
  'lsun-bilans': 'lsu-bilans',
};

/** Root element name (prefix dropped) from the first bytes: names are ASCII, whatever the encoding. */
function rootName(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 64 * 1024)).toString('latin1');
  const body = head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, '');
  return /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(body)?.[2];
}

/**
 * The kind of an XML document (a zip's single XML: `inner` is that XML and its name), from its
 * first bytes; its size is then held to that kind's cap (formats/limits.ts) before any parse.
 */
export function detectXmlKind(name: string, inner: ZipEntryData): DetectedKind {
  const kind = kindOfXml(name, inner);
  assertReadableSize(name, inner.data.length, XML_CAPS[kind]);
  return kind;
}

function kindOfXml(name: string, inner: ZipEntryData): DetectedKind {
  const root = rootName(inner.data);
  if (root === undefined) {
    const text = Buffer.from(inner.data.subarray(0, 1024)).toString('latin1').trim();
    if (text === '') throw new ExchangeFileError(name, 'empty', 'le fichier ne contient que des espaces.');
    throw new ExchangeFileError(name, 'not-xml', "ce n'est pas un fichier XML (aucune balise trouvée).");
  }
  const names = `${name} ${inner.name}`;
  if (root === 'IMPORT_ELEVES') {
    if (/\d{7}[A-Z]PRIVE\d/i.test(names)) return 'siecle-prive';
    if (/\d{7}[A-Z]ELEGROUPE\d/i.test(names)) return 'elegroupe';
    // Unnamed: the PRIVE file carries PERSONNES and pupils' schooling, the élève-groupe file GROUPES.
    const head = inner.data.subarray(0, 64 * 1024).toString('latin1');
    return /<PERSONNES[\s>]|<SCOLARITE_ACTIVE[\s>]/.test(head) ? 'siecle-prive' : 'elegroupe';
  }
  const kind = ROOT_KINDS[root];
  if (kind) return kind;
  if (root.startsWith('BEE_')) {
    if (/etablissement/i.test(names)) return 'siecle-etablissements';
    if (/geographi/i.test(names)) return 'siecle-geographique';
  }
  throw new ExchangeFileError(name, 'wrong-root', `racine <${root}> inconnue : ce n'est pas un fichier d'échange de la chaîne (STS, EDT, SIECLE, élève-groupe, LSU).`);
}

/** An exchange file as found (XML or zip), bounded first by the cap its name allows. */
export async function openExchangeFile(name: string, bytes: Uint8Array): Promise<{ kind: DetectedKind; xml: ZipEntryData }> {
  assertReadableSize(name, bytes.length, capBeforeKind(name));
  const xml = await openXml(name, bytes);
  return { kind: detectXmlKind(name, xml), xml };
}

export async function detectKind(name: string, bytes: Uint8Array): Promise<DetectedKind> {
  return (await openExchangeFile(name, bytes)).kind;
}

export type ExchangeFile =
  | { kind: 'sts-edt'; data: StsStructureFile }
  | { kind: 'edt-sts'; data: EmpStsFile }
  | { kind: 'siecle-eleves'; data: SiecleEleves }
  | { kind: 'siecle-structures'; data: SiecleStructures }
  | { kind: 'siecle-nomenclature'; data: SiecleNomenclature }
  | { kind: 'siecle-communs'; data: SiecleCommuns }
  | { kind: 'siecle-responsables'; data: SiecleResponsables }
  | { kind: 'siecle-etablissements' | 'siecle-geographique'; data: SiecleHeaderOnly }
  | { kind: 'elegroupe'; data: EleGroupeFile }
  | { kind: 'siecle-prive'; data: { header: PriveHeader } }
  | { kind: 'lsu-bilans'; data: { header: LsuHeader; referentials: LsuReferentials; counts: { periodic: number; cycle: number }; bilans: LsuBilan[] } };

function readPriveHeader(file: string, bytes: Uint8Array): { header: PriveHeader } {
  const root = parseXmlTree(file, bytes);
  assertRoot(file, root, ['IMPORT_ELEVES']);
  // Same PARAMETRES as the BEE envelope except DATE_IMPORT (jj/mm/aaaa) instead of DATE_EXPORT.
  const { kind: _kind, ...rest } = beeHeader(file, root, 'siecle-etablissements');
  const date = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(root.children.find((c) => c.name === 'PARAMETRES')?.children.find((c) => c.name === 'DATE_IMPORT')?.text.trim() ?? '');
  return { header: { kind: 'siecle-prive', ...rest, ...(date && { exportedAt: `${date[3]}-${date[2]}-${date[1]}` }) } };
}

/**
 * Reads any exchange file held in memory. For LSU, bilans are collected: use readLsuBilans
 * directly on big files to keep memory bounded.
 */
export async function readExchangeFile(name: string, raw: Uint8Array): Promise<ExchangeFile> {
  const { kind, xml } = await openExchangeFile(name, raw);
  const bytes = xml.data; // a zip is inflated once, every reader gets its XML
  switch (kind) {
    case 'sts-edt': return { kind, data: readStsEdt(name, bytes) };
    case 'edt-sts': return { kind, data: readEmpSts(name, bytes, xml.name === name ? undefined : xml.name) };
    case 'siecle-eleves': return { kind, data: readSiecleEleves(name, bytes) };
    case 'siecle-structures': return { kind, data: readSiecleStructures(name, bytes) };
    case 'siecle-nomenclature': return { kind, data: readSiecleNomenclature(name, bytes) };
    case 'siecle-communs': return { kind, data: readSiecleCommuns(name, bytes) };
    case 'siecle-responsables': return { kind, data: readSiecleResponsables(name, bytes) };
    case 'siecle-etablissements':
    case 'siecle-geographique': return { kind, data: readSiecleHeaderOnly(name, bytes, kind) };
    case 'elegroupe': return { kind, data: readEleGroupe(name, bytes) };
    case 'siecle-prive': return { kind, data: readPriveHeader(name, bytes) };
    case 'lsu-bilans': {
      const bilans: LsuBilan[] = [];
      const result = await readLsuBilans(Readable.from([bytes]), (b) => void bilans.push(b), { fileName: name });
      return { kind, data: { ...result, bilans } };
    }
  }
}
