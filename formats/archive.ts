// Zips of the chain: SIECLE's ExportXML_<Name>.zip (one XML each) and the élève-groupe zip (one
// XML named like the zip). Files come from schools' mailboxes, so an archive is treated as
// hostile: no path traversal, no symlink, no nested archive, few entries, and a bounded
// expansion checked on the declared sizes AND enforced while inflating (declared sizes can lie).
import { inflateRawSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import { ExchangeFileError } from './errors.js';
import { MAX_XML_BYTES } from './xml.js';

export interface ZipLimits {
  /** Entries in the archive, directories included. */
  maxEntries: number;
  /** Total uncompressed bytes of all entries. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, checked on entries larger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/** SIECLE and élève-groupe zips hold one XML; real XML compresses 5-30×, bombs ~1000×. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 16,
  maxTotalBytes: MAX_XML_BYTES,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

export interface ZipEntryData {
  name: string;
  data: Buffer;
}

const NESTED_ARCHIVE = /\.(zip|jar|gz|tgz|tar|7z|rar|bz2|xz)$/i;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function unsafe(file: string, problem: string): ExchangeFileError {
  return new ExchangeFileError(file, 'zip-unsafe', `archive refusée : ${problem}`);
}

function checkName(file: string, name: string): void {
  const normalized = name.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.split('/').includes('..')) {
    throw unsafe(file, `le chemin « ${name} » sort du dossier de l'archive.`);
  }
  if (NESTED_ARCHIVE.test(normalized)) throw unsafe(file, `archive imbriquée « ${name} ».`);
}

/** Reads every file entry of a zip, refusing anything unsafe. Directories are skipped. */
export function readZip(file: string, bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntryData[] {
  if (bytes.length === 0) throw new ExchangeFileError(file, 'empty', 'le fichier est vide.');
  let zip: AdmZip;
  try {
    zip = new AdmZip(Buffer.from(bytes));
  } catch {
    throw new ExchangeFileError(file, 'malformed', "archive zip illisible ou tronquée.");
  }
  const entries = zip.getEntries();
  if (entries.length > limits.maxEntries) throw unsafe(file, `${entries.length} entrées, au plus ${limits.maxEntries} attendues.`);
  let declaredTotal = 0;
  for (const entry of entries) {
    checkName(file, entry.entryName);
    if (((entry.header.attr >>> 16) & S_IFMT) === S_IFLNK) throw unsafe(file, `« ${entry.entryName} » est un lien symbolique.`);
    if ((entry.header.flags & 1) !== 0) throw unsafe(file, `« ${entry.entryName} » est chiffré.`);
    declaredTotal += entry.header.size;
    const compressed = Math.max(entry.header.compressedSize, 1);
    if (entry.header.size > limits.ratioFloorBytes && entry.header.size / compressed > limits.maxRatio) {
      throw unsafe(file, `taux de compression anormal pour « ${entry.entryName} » (bombe zip ?).`);
    }
  }
  if (declaredTotal > limits.maxTotalBytes) throw unsafe(file, `contenu décompressé annoncé trop gros (${declaredTotal} octets).`);

  const result: ZipEntryData[] = [];
  let inflatedTotal = 0;
  for (const entry of entries) {
    if (entry.isDirectory) continue;
    const data = inflateEntry(file, entry, limits.maxTotalBytes - inflatedTotal, limits);
    inflatedTotal += data.length;
    if (data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) throw unsafe(file, `archive imbriquée « ${entry.entryName} ».`);
    result.push({ name: entry.entryName, data });
  }
  return result;
}

function inflateEntry(file: string, entry: AdmZip.IZipEntry, budget: number, limits: ZipLimits): Buffer {
  const raw = entry.getCompressedData();
  // Stop while inflating: never more than the remaining budget, nor than the ratio allows.
  const ratioCap = Math.max(limits.ratioFloorBytes, raw.length * limits.maxRatio);
  const cap = Math.max(0, Math.min(budget, ratioCap));
  if (entry.header.method === 0) {
    if (raw.length > cap) throw unsafe(file, `« ${entry.entryName} » dépasse la taille autorisée.`);
    return raw;
  }
  if (entry.header.method !== 8) throw unsafe(file, `méthode de compression ${entry.header.method} non prise en charge.`);
  try {
    return inflateRawSync(raw, { maxOutputLength: Math.max(cap, 1) });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw unsafe(file, `« ${entry.entryName} » se décompresse au-delà de la taille autorisée (bombe zip ?).`);
    }
    throw new ExchangeFileError(file, 'malformed', `« ${entry.entryName} » est corrompu dans l'archive.`);
  }
}

/** The single XML of a SIECLE export or élève-groupe zip (macOS resource forks are ignored). */
export function readSingleXml(file: string, bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntryData {
  const xmls = readZip(file, bytes, limits).filter((e) => !e.name.startsWith('__MACOSX/') && /\.xml$/i.test(e.name));
  const [only, ...others] = xmls;
  if (!only) throw new ExchangeFileError(file, 'malformed', "l'archive ne contient aucun fichier XML.");
  if (others.length > 0) throw new ExchangeFileError(file, 'malformed', `l'archive contient ${xmls.length} fichiers XML, un seul attendu.`);
  return only;
}

/** Writes a zip (deflate). `date` fixes entry times so that the same input gives the same bytes. */
export function writeZip(entries: { name: string; data: Buffer }[], date?: Date): Buffer {
  const zip = new AdmZip();
  for (const { name, data } of entries) {
    zip.addFile(name, data);
    const added = zip.getEntry(name);
    if (added && date) added.header.time = date;
  }
  return zip.toBuffer();
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}
