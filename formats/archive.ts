// Zips of the chain: SIECLE's ExportXML_<Name>.zip (one XML each) and the élève-groupe zip (one
// XML named like the zip). Files come from schools' mailboxes, so an archive is treated as
// hostile: no path traversal, no symlink, no nested archive, few entries, and a bounded
// expansion checked on the declared sizes AND enforced while inflating (declared sizes can lie).
//
// Reading goes through yauzl, lazily: the entry count comes from the end-of-central-directory
// record, and the central directory is then walked one entry at a time, every rule checked before
// the next entry is even decoded. adm-zip (still used to *write* our own zips) builds every entry
// object of the directory first: 1,100,000 empty entries took 50 s and the V8 heap before our
// 16-entry limit could be looked at.
import { inflateRawSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ExchangeFileError } from './errors.js';
import { MAX_XML_BYTES } from './xml.js';
import { capBeforeKind, mo } from './limits.js';

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

/** The limits for a zip of this name: its content bounded by the cap of the kind it can hold. */
export function zipLimitsFor(name: string): ZipLimits {
  return { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: capBeforeKind(name) };
}

export interface ZipEntryData {
  name: string;
  data: Buffer;
}

const NESTED_ARCHIVE = /\.(zip|jar|gz|tgz|tar|7z|rar|bz2|xz)$/i;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const UTF8_NAME_FLAG = 0x800;

function unsafe(file: string, problem: string): ExchangeFileError {
  return new ExchangeFileError(file, 'zip-unsafe', `archive refusée : ${problem}`);
}

function malformed(file: string): ExchangeFileError {
  return new ExchangeFileError(file, 'malformed', 'archive zip illisible ou tronquée.');
}

function checkName(file: string, name: string): void {
  const normalized = name.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized) || normalized.split('/').includes('..')) {
    throw unsafe(file, `le chemin « ${name} » sort du dossier de l'archive.`);
  }
  if (NESTED_ARCHIVE.test(normalized)) throw unsafe(file, `archive imbriquée « ${name} ».`);
}

/** Names are decoded here (yauzl's decodeStrings is off) so that our rules, not yauzl's, judge them. */
function entryName(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  return (entry.generalPurposeBitFlag & UTF8_NAME_FLAG) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
}

function openZip(file: string, archive: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(archive, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) reject(malformed(file));
      else resolve(zip);
    });
  });
}

/** The central directory, one entry at a time, each checked before the next is decoded. */
async function* checkedEntries(file: string, zip: ZipFile, limits: ZipLimits): AsyncGenerator<{ entry: Entry; name: string }> {
  // The end-of-central-directory record gives the count before any entry is read.
  if (zip.entryCount > limits.maxEntries) throw unsafe(file, `${zip.entryCount} entrées, au plus ${limits.maxEntries} attendues.`);
  let declaredTotal = 0;
  for (let index = 0; index < zip.entryCount; index += 1) {
    const entry = await new Promise<Entry | undefined>((resolve, reject) => {
      const onEntry = (e: Entry): void => { cleanup(); resolve(e); };
      const onEnd = (): void => { cleanup(); resolve(undefined); };
      const onError = (): void => { cleanup(); reject(malformed(file)); };
      const cleanup = (): void => { zip.off('entry', onEntry); zip.off('end', onEnd); zip.off('error', onError); };
      zip.on('entry', onEntry);
      zip.on('end', onEnd);
      zip.on('error', onError);
      zip.readEntry();
    });
    if (!entry) return;
    const name = entryName(entry);
    checkName(file, name);
    if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw unsafe(file, `« ${name} » est un lien symbolique.`);
    if ((entry.generalPurposeBitFlag & 1) !== 0) throw unsafe(file, `« ${name} » est chiffré.`);
    declaredTotal += entry.uncompressedSize;
    const compressed = Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize / compressed > limits.maxRatio) {
      throw unsafe(file, `taux de compression anormal pour « ${name} » (bombe zip ?).`);
    }
    if (declaredTotal > limits.maxTotalBytes) {
      throw unsafe(file, `contenu décompressé annoncé trop gros (${mo(declaredTotal)}, au plus ${mo(limits.maxTotalBytes)}).`);
    }
    yield { entry, name };
  }
}

/**
 * Inflates one entry, never past `cap` bytes nor past its declared size, whatever its header says.
 * The entry's bytes are inflated in one synchronous call on the archive already in memory (yauzl
 * only finds where they start): through yauzl's read stream and zlib's stream, a lycée's 4 Mo
 * pupils export took 17 ms of CPU in 16 Ko chunks, each a round of JavaScript callbacks; in one
 * call, 4 ms.
 */
async function inflateEntry(file: string, zip: ZipFile, archive: Buffer, entry: Entry, name: string, cap: number): Promise<Buffer> {
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw unsafe(file, `méthode de compression ${entry.compressionMethod} non prise en charge.`);
  }
  if (entry.compressionMethod === 0 && entry.compressedSize > cap) throw unsafe(file, `« ${name} » dépasse la taille autorisée.`);
  let start: number;
  try {
    // Checks the local header's signature and that the data lies inside the archive.
    start = (await zip.readLocalFileHeaderPromise(entry, { minimal: true })).fileDataStart;
  } catch {
    throw new ExchangeFileError(file, 'malformed', `« ${name} » est corrompu dans l'archive.`);
  }
  const stored = archive.subarray(start, start + entry.compressedSize);
  // The declared size is a limit too: an entry that inflates past it lies, as bombs do.
  const limit = Math.min(cap, entry.uncompressedSize);
  const tooBig = (): ExchangeFileError => unsafe(file, limit < entry.uncompressedSize
    ? `« ${name} » se décompresse au-delà de la taille autorisée (bombe zip ?).`
    : `« ${name} » se décompresse au-delà de sa taille annoncée (bombe zip ?).`);
  let data: Buffer;
  if (entry.compressionMethod === 0) data = Buffer.from(stored);
  else {
    try {
      data = inflateRawSync(stored, { maxOutputLength: limit + 1 });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooBig();
      throw new ExchangeFileError(file, 'malformed', `« ${name} » est corrompu dans l'archive.`);
    }
  }
  if (data.length > limit) throw tooBig();
  if (data.length < entry.uncompressedSize) throw new ExchangeFileError(file, 'malformed', `« ${name} » est corrompu dans l'archive.`);
  return data;
}

/** Reads every file entry of a zip, refusing anything unsafe. Directories are skipped. */
export async function readZip(file: string, bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipEntryData[]> {
  if (bytes.length === 0) throw new ExchangeFileError(file, 'empty', 'le fichier est vide.');
  const archive = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const zip = await openZip(file, archive);
  try {
    const listed: { entry: Entry; name: string }[] = [];
    for await (const item of checkedEntries(file, zip, limits)) listed.push(item);
    const result: ZipEntryData[] = [];
    let inflatedTotal = 0;
    for (const { entry, name } of listed) {
      if (name.endsWith('/')) continue;
      // Stop while inflating: never more than the remaining budget, nor than the ratio allows.
      const ratioCap = Math.max(limits.ratioFloorBytes, entry.compressedSize * limits.maxRatio);
      const data = await inflateEntry(file, zip, archive, entry, name, Math.max(0, Math.min(limits.maxTotalBytes - inflatedTotal, ratioCap)));
      inflatedTotal += data.length;
      if (isZip(data)) throw unsafe(file, `archive imbriquée « ${name} ».`);
      result.push({ name, data });
    }
    return result;
  } finally {
    zip.close();
  }
}

/** The single XML of a SIECLE export or élève-groupe zip (macOS resource forks are ignored). */
export async function readSingleXml(file: string, bytes: Uint8Array, limits: ZipLimits = zipLimitsFor(file)): Promise<ZipEntryData> {
  const xmls = (await readZip(file, bytes, limits)).filter((e) => !e.name.startsWith('__MACOSX/') && /\.xml$/i.test(e.name));
  const [only, ...others] = xmls;
  if (!only) throw new ExchangeFileError(file, 'malformed', "l'archive ne contient aucun fichier XML.");
  if (others.length > 0) throw new ExchangeFileError(file, 'malformed', `l'archive contient ${xmls.length} fichiers XML, un seul attendu.`);
  return only;
}

/** The XML of an exchange file: itself, or the single XML of its zip (named like the zip's content). */
export async function openXml(file: string, bytes: Uint8Array): Promise<ZipEntryData> {
  return isZip(bytes) ? readSingleXml(file, bytes) : { name: file, data: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes) };
}

/**
 * For the synchronous readers: their input must be XML. A zip reaches them opened by openXml
 * (asynchronous, bounded); one that does not is a programming error, said as such.
 */
export function xmlOnly(file: string, bytes: Uint8Array): Uint8Array {
  if (isZip(bytes)) throw new Error(`${file} : archive zip passée à un lecteur XML (l'ouvrir d'abord avec openXml).`);
  return bytes;
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
