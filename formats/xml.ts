// Low-level XML helpers shared by every reader: decode the bytes (ISO-8859-15 or UTF-8, with or
// without BOM), refuse DOCTYPEs before any parsing, and build a small element tree with the line
// of every element (read by xml-scan.ts where it is sure, else by saxes: strict well-formedness
// and positions; neither expands entities).
import iconv from 'iconv-lite';
import { SaxesParser } from 'saxes';
import { ExchangeFileError } from './errors.js';
import { MAX_TREE_DEPTH, MAX_TREE_ELEMENTS } from './limits.js';
import { isBlank, scanXml, UNSURE } from './xml-scan.js';
import type { IsoDate, IsoDateTime } from './types.js';

/** Above this size, a file is refused before parsing (LSU's own limit: "100 Mo"). */
export const MAX_XML_BYTES = 100 * 1024 * 1024;

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content of this element only (not of its children). */
  text: string;
  line: number;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** The encoding named by the XML declaration, lower-cased, or undefined when there is none. */
export function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const decl = /^\s*<\?xml[^?]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return decl?.[1]?.toLowerCase();
}

/** Checks shared by every reader before decoding: empty file, size bound. */
export function assertReadableSize(file: string, size: number, max = MAX_XML_BYTES): void {
  if (size === 0) throw new ExchangeFileError(file, 'empty', 'le fichier est vide.');
  if (size > max) {
    const mo = (size / 1024 / 1024).toFixed(1).replace('.', ',');
    throw new ExchangeFileError(file, 'too-large', `le fichier pèse ${mo} Mo, au-delà de la limite de ${max / 1024 / 1024} Mo.`);
  }
}

/**
 * Decodes an exchange file to a string. UTF-8 (with or without BOM) is the XML default; the BEE
 * exports and the élève-groupe file declare ISO-8859-15. An encoding iconv-lite does not know, or
 * UTF-8 bytes that are not UTF-8, is an 'encoding' error rather than silently mangled names.
 */
const NATIVE_LATIN9 = new Set(['iso-8859-15', 'iso8859-15', 'latin-9', 'latin9']);

/** The eight bytes where ISO-8859-15 differs from ISO-8859-1, and what they are in ISO-8859-15. */
const LATIN9_ONLY: Record<number, string> = { 0xa4: '€', 0xa6: 'Š', 0xa8: 'š', 0xb4: 'Ž', 0xb8: 'ž', 0xbc: 'Œ', 0xbd: 'œ', 0xbe: 'Ÿ' };
const LATIN9_BYTES = Object.keys(LATIN9_ONLY).map(Number);
const LATIN9_CHARS = /[\xA4\xA6\xA8\xB4\xB8\xBC-\xBE]/g;

/**
 * ISO-8859-15 as ISO-8859-1 (one byte a character, Node's fastest decoding) with its eight own
 * characters put back. V8 keeps such a string at one byte a character, where TextDecoder's (ICU's)
 * output of a big file is two: the 4 Mo pupils export of a lycée, and every name and text sliced
 * from it, then took twice the memory and garbage collection.
 */
function decodeLatin9(body: Uint8Array): string {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const latin1 = bytes.toString('latin1');
  return LATIN9_BYTES.some((b) => bytes.includes(b)) ? latin1.replace(LATIN9_CHARS, (c) => LATIN9_ONLY[c.charCodeAt(0)]!) : latin1;
}

export function decodeXml(file: string, bytes: Uint8Array, max = MAX_XML_BYTES): string {
  assertReadableSize(file, bytes.length, max);
  const hasBom = startsWith(bytes, UTF8_BOM);
  const body = hasBom ? bytes.subarray(3) : bytes;
  const encoding = declaredEncoding(body) ?? 'utf-8';
  const declaredName: string = encoding; // iconv's type guard narrows `encoding` to never below
  let text: string;
  if (encoding === 'utf-8' || encoding === 'utf8' || hasBom) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      const label = hasBom ? 'UTF-8 (BOM)' : 'UTF-8';
      throw new ExchangeFileError(file, 'encoding', `le fichier se déclare en ${label} mais contient des octets qui n'en sont pas (fichier enregistré en ISO-8859-15 ?).`);
    }
  } else if (NATIVE_LATIN9.has(encoding)) {
    // The BEE exports' encoding: decodes all 256 bytes as iconv-lite does (test/unit/formats/encoding.test.ts).
    text = decodeLatin9(body);
  } else if (iconv.encodingExists(encoding)) {
    text = iconv.decode(Buffer.from(body), encoding);
  } else {
    throw new ExchangeFileError(file, 'encoding', `encodage « ${declaredName} » inconnu (UTF-8 ou ISO-8859-15 attendu).`);
  }
  if (text.trim() === '') throw new ExchangeFileError(file, 'empty', 'le fichier ne contient que des espaces.');
  if (!text.trimStart().startsWith('<')) {
    throw new ExchangeFileError(file, 'not-xml', "ce n'est pas un fichier XML (il ne commence pas par une balise).");
  }
  return text;
}

/**
 * Refuses any DOCTYPE or entity declaration before parsing: exchange files never need one, and
 * they are how "billion laughs" and external-entity attacks get in.
 */
export function assertNoDoctype(file: string, text: string): void {
  const firstElement = /<[A-Za-z_]/.exec(text);
  const prolog = firstElement ? text.slice(0, firstElement.index) : text;
  const found = /<!(DOCTYPE|ENTITY)/i.exec(prolog) ?? /<!ENTITY/i.exec(text);
  if (found) {
    const line = text.slice(0, found.index).split('\n').length;
    throw new ExchangeFileError(file, 'doctype', 'déclaration DOCTYPE ou ENTITY refusée (les fichiers d\'échange n\'en contiennent jamais).', line);
  }
}

/** Turns saxes' English diagnostics into one French sentence and the right error code. */
export function saxesFailure(file: string, error: Error, line: number | undefined, open?: { name: string; line?: number }): ExchangeFileError {
  const detail = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
  if (/^unclosed tag|^unexpected end|^document must contain a root/.test(detail)) {
    return new ExchangeFileError(file, 'truncated', `fichier XML incomplet ou tronqué (${detail.replace(/^unclosed tag: /, 'balise non fermée : ')}).`, line);
  }
  if (/^unmatched closing tag|^unexpected close tag/.test(detail) && open) {
    const where = open.line === undefined ? '' : ` ouvert ligne ${open.line}`;
    return new ExchangeFileError(file, 'malformed', `XML mal formé : balise fermante qui ne correspond pas à l'élément <${open.name}>${where}.`, line);
  }
  if (/doctype/i.test(detail)) return new ExchangeFileError(file, 'doctype', 'déclaration DOCTYPE refusée.', line);
  return new ExchangeFileError(file, 'malformed', `XML mal formé (${detail}).`, line);
}

/** Text fed to saxes at a time, so that a read that needs only the head stops early. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Leaf elements share one frozen empty list and one frozen empty attribute set (most elements of
 * an export are leaves without attributes): a node then costs its own object and text only. The
 * list is replaced by a real one at the first child.
 */
const NO_CHILDREN: XmlElement[] = Object.freeze([]) as unknown as XmlElement[];
const NO_ATTRS: Record<string, string> = Object.freeze({});

function hasOwnKeys(attrs: object): boolean {
  for (const _ in attrs) return true;
  return false;
}

export interface TreeLimits {
  /** Elements built, all levels: refused past it, before the tree grows further. */
  maxElements?: number;
  maxDepth?: number;
}

/**
 * Elements to hand over one at a time instead of keeping them in the tree, by their path from the
 * root (e.g. "DONNEES/ELEVES/ELEVE", the same paths as `select`): each is built with its children,
 * given to its handler once closed, and left out of its parent. A lycée's pupils export is 5,000
 * such records (ELEVE, STRUCTURES_ELEVE) under 93,000 elements; reading them one by one lets each
 * record's elements die young instead of being carried by the garbage collector to the end of the
 * file (the generated 2,500-pupil lycée's export parsed 40 times in a row: about 215 → 145 ms of
 * CPU a parse, of which garbage collection 71 → 26 ms).
 *
 * A handler is a function or a RecordSink. The readers a thread runs for every file hand a sink
 * whose `take` is a method (recordReader, or a class of their own): a closure made per file would
 * be optimized again for every file (see TreeBuilder).
 */
export interface RecordSink {
  take(el: XmlElement): void;
}
export type RecordHandlers = Record<string, RecordSink | ((el: XmlElement) => void)>;

interface PathNode {
  next: Map<string, PathNode>;
  take?: RecordSink;
}

function pathTrie(records: RecordHandlers): PathNode {
  const root: PathNode = { next: new Map() };
  for (const [path, take] of Object.entries(records)) {
    let node = root;
    for (const name of path.split('/')) {
      let child = node.next.get(name);
      if (!child) node.next.set(name, (child = { next: new Map() }));
      node = child;
    }
    node.take = typeof take === 'function' ? { take } : take;
  }
  return root;
}

/**
 * What a reader makes of each record, in document order. The first error `read` throws is kept and
 * thrown by `items()`, where the reader once mapped the whole tree: a file that is also malformed
 * further on still reports its XML error first, and its header is still checked before its records.
 * `read` is given the file's name: a module-level function then serves every file.
 */
export class RecordReader<T> implements RecordSink {
  private readonly read: (el: XmlElement, file: string) => T;
  private readonly file: string;
  private readonly taken: T[] = [];
  private failure: { error: unknown } | undefined;

  constructor(read: (el: XmlElement, file: string) => T, file = '') {
    this.read = read;
    this.file = file;
  }

  take(el: XmlElement): void {
    if (this.failure) return;
    try {
      this.taken.push(this.read(el, this.file));
    } catch (error) {
      this.failure = { error };
    }
  }

  items(): T[] {
    if (this.failure) throw this.failure.error;
    return this.taken;
  }
}

export function recordReader<T>(read: (el: XmlElement, file: string) => T, file = ''): RecordReader<T> {
  return new RecordReader(read, file);
}

/**
 * The tree being built by parseXmlTree. Its work is in methods, and saxes is handed the module's
 * own functions below (the same functions for every file) rather than closures made per parse:
 * V8 optimizes a closure made anew by each parse again for each parse (measured on 2026-12-07
 * with --trace-opt: every handler recompiled by TurboFan about once per file, 46 % of the V8
 * helper threads' time in the year of 200 schools), while these stay optimized for the thread's
 * lifetime.
 */
class TreeBuilder {
  readonly stack: XmlElement[] = [];
  /** Where each open element stands among the record paths (undefined: no record below it). */
  readonly paths: (PathNode | undefined)[] = [];
  /**
   * How many elements stayed open at the last close. Text goes to the open element on top; when
   * as many are open as at the last close, the element closed then was its child, so it has had
   * one. Whitespace alone that comes after a child is indentation between elements, dropped: the
   * root of a pupils export would otherwise gather the whitespace between its thousands of
   * records (a string piece for each, alive to the end). Text that is not whitespace only is
   * always kept, and whitespace before any child too (a leaf's text, or what an EMPTY element
   * must not hold, stays as written).
   */
  openAtLastClose = -1;
  root: XmlElement | undefined;
  elements = 0;
  /** saxes pops the open element (and calls closeTag) before reporting a mismatched close tag: kept. */
  lastClosed: XmlElement | undefined;
  stopped = false;
  recordsTaken = 0;
  recordsToSkip = 0;
  /** Where saxes stands, for the line of an element it opens (undefined while the scan reads). */
  parser: SaxesParser | undefined;

  constructor(
    readonly file: string,
    readonly maxElements: number,
    readonly maxDepth: number,
    readonly trie: PathNode | undefined,
    readonly stopAfter: string | undefined,
  ) {}

  open(name: string, attrs: Record<string, string>, line: number): void {
    const { stack } = this;
    this.elements += 1;
    if (this.elements > this.maxElements) {
      throw new ExchangeFileError(this.file, 'too-large', `plus de ${this.maxElements.toLocaleString('fr-FR')} éléments XML : bien au-delà du plus grand établissement, fichier refusé.`, line);
    }
    if (stack.length >= this.maxDepth) throw new ExchangeFileError(this.file, 'too-large', `éléments imbriqués sur plus de ${this.maxDepth} niveaux : fichier refusé.`, line);
    // Both readers hand a fresh attribute object per tag: kept as is, not copied.
    const el: XmlElement = { name, attrs: hasOwnKeys(attrs) ? attrs : NO_ATTRS, children: NO_CHILDREN, text: '', line };
    const parent = stack[stack.length - 1];
    const path = parent ? this.paths[this.paths.length - 1]?.next.get(name) : this.trie;
    if (!parent) this.root = el;
    else if (!path?.take) {
      if (parent.children === NO_CHILDREN) parent.children = [el];
      else parent.children.push(el);
    }
    stack.push(el);
    this.paths.push(path);
  }

  close(): void {
    const closed = (this.lastClosed = this.stack.pop());
    const sink = this.paths.pop()?.take;
    this.openAtLastClose = this.stack.length;
    if (sink && closed) {
      // Records a scan handed over before it gave the document to saxes are not handed twice.
      if (this.recordsToSkip > 0) this.recordsToSkip -= 1;
      else {
        this.recordsTaken += 1;
        sink.take(closed);
      }
    }
    if (this.stack.length === 1 && closed?.name === this.stopAfter) this.stopped = true;
  }

  text(t: string): void {
    const current = this.stack[this.stack.length - 1];
    if (current && (this.keepsSpace() || !isBlank(t))) current.text += t;
  }

  keepsSpace(): boolean {
    return this.openAtLastClose !== this.stack.length;
  }
}

/** The builder of the parse under way in this thread (parses are synchronous; a reader's record handler may start another). */
let building: TreeBuilder | undefined;
function onOpenTag(tag: { name: string; attributes: unknown }): void {
  building!.open(tag.name, tag.attributes as Record<string, string>, building!.parser!.line);
}
function onCloseTag(): void {
  building!.close();
}
function onText(t: string): void {
  building!.text(t);
}
function onDoctype(): void {
  throw new ExchangeFileError(building!.file, 'doctype', 'déclaration DOCTYPE refusée.', building!.parser?.line);
}

export interface TreeOptions extends TreeLimits {
  stopAfter?: string;
  records?: RecordHandlers;
  /** saxes alone, without the scan: the reference the scan is held to (tests, benches). */
  saxesOnly?: boolean;
}

/**
 * Parses a whole (small) document into an element tree. Throws ExchangeFileError. With
 * `stopAfter`, parsing stops once a child of the root of that name is closed: the tree then holds
 * the root and its children up to that one (a header read; the rest is neither parsed nor checked).
 */
export function parseXmlTree(file: string, bytes: Uint8Array, options: TreeOptions = {}): XmlElement {
  const text = decodeXml(file, bytes);
  assertNoDoctype(file, text);
  const newBuilder = (): TreeBuilder => new TreeBuilder(file, options.maxElements ?? MAX_TREE_ELEMENTS, options.maxDepth ?? MAX_TREE_DEPTH, options.records ? pathTrie(options.records) : undefined, options.stopAfter);
  let builder = newBuilder();
  const outer = building;
  building = builder;
  try {
    // The scan reads what exchange files are made of; anything else, saxes (xml-scan.ts).
    if (options.saxesOnly) readWithSaxes(file, text, builder);
    else if (scanXml(text, builder) === UNSURE) {
      const taken = builder.recordsTaken;
      building = builder = newBuilder();
      builder.recordsToSkip = taken;
      readWithSaxes(file, text, builder);
    }
  } finally {
    building = outer;
  }
  if (!builder.root) throw new ExchangeFileError(file, 'truncated', 'aucun élément racine.');
  return builder.root;
}

/** saxes reads the document into `builder`; its diagnostics become ExchangeFileErrors. */
function readWithSaxes(file: string, text: string, builder: TreeBuilder): void {
  const parser = (builder.parser = new SaxesParser({ position: true }));
  parser.on('opentag', onOpenTag);
  parser.on('closetag', onCloseTag);
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('doctype', onDoctype);
  try {
    for (let at = 0; at < text.length && !builder.stopped; at += CHUNK_CHARS) parser.write(text.slice(at, at + CHUNK_CHARS));
    if (!builder.stopped) parser.close();
  } catch (error) {
    if (error instanceof ExchangeFileError) throw error;
    const open = /unexpected close tag/.test((error as Error).message) ? builder.lastClosed : builder.stack[builder.stack.length - 1];
    throw saxesFailure(file, error as Error, parser.line, open && { name: open.name, line: open.line });
  }
}

export function childOf(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (el) for (const c of el.children) if (c.name === name) return c;
  return undefined;
}

export function childrenOf(el: XmlElement | undefined, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  if (el) for (const c of el.children) if (c.name === name) found.push(c);
  return found;
}

/**
 * Follows a slash-separated path of child names, e.g. "DONNEES/ELEVES/ELEVE" (all matches).
 * Plain loops, no callback: readers call it per record, and a closure made per call is optimized
 * again and again (see TreeBuilder).
 */
export function select(el: XmlElement | undefined, path: string): XmlElement[] {
  if (!el) return [];
  let current: XmlElement[] = [el];
  for (const name of path.includes('/') ? path.split('/') : [path]) {
    const next: XmlElement[] = [];
    for (const parent of current) for (const c of parent.children) if (c.name === name) next.push(c);
    current = next;
  }
  return current;
}

/** select(el, path)[0] without building the lists: the first match in document order. */
function firstAt(el: XmlElement | undefined, names: readonly string[], depth: number): XmlElement | undefined {
  if (!el || depth === names.length) return el;
  const name = names[depth];
  for (const child of el.children) {
    if (child.name !== name) continue;
    const found = firstAt(child, names, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Trimmed text of the first element at `path`, undefined when absent or empty (BEE rule 2.4). */
export function textAt(el: XmlElement | undefined, path: string): string | undefined {
  // Most paths are one child's name: found without splitting (a reader calls this per field per record).
  const found = path.includes('/') ? firstAt(el, path.split('/'), 0) : childOf(el, path);
  const value = found?.text.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** JJ/MM/AAAA (BEE, DATE_IMPORT) → YYYY-MM-DD; ISO input is kept; anything else → undefined. */
export function frenchDateToIso(value: string | undefined): IsoDate | undefined {
  if (value === undefined) return undefined;
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value.trim());
  if (fr) return `${fr[3]}-${fr[2]}-${fr[1]}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? value.trim() : undefined;
}

/** YYYY-MM-DD → JJ/MM/AAAA. */
export function isoDateToFrench(value: IsoDate): string {
  const [y, m, d] = value.slice(0, 10).split('-');
  return `${d ?? ''}/${m ?? ''}/${y ?? ''}`;
}

/** HORODATAGE "JJ/MM/AAAA HH:MM:SS" → YYYY-MM-DDTHH:MM:SS. */
export function frenchDateTimeToIso(value: string | undefined): IsoDateTime | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{2})\/(\d{2})\/(\d{4})\s+(\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}T${m[4]}:${m[5]}:${m[6]}` : frenchDateToIso(value);
}

/** Escapes text for an XML element or a double-quoted attribute. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/**
 * fast-xml-parser options for whole-document parses: every value stays a string (leading zeros
 * of codes are data), attributes are kept, entities other than the XML ones are never processed.
 */
export const FAST_XML_PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  removeNSPrefix: true,
} as const;

/** Refuses a document whose root is not one of the expected names. */
export function assertRoot(file: string, root: XmlElement, expected: readonly string[]): void {
  if (!expected.includes(root.name)) {
    const list = expected.map((e) => `<${e}>`).join(' ou ');
    throw new ExchangeFileError(file, 'wrong-root', `racine <${root.name}> inattendue : ${list} attendu.`, root.line);
  }
}

/** A required value: absent or empty means the file is malformed for our purpose. */
export function required(file: string, value: string | undefined, what: string, line: number): string {
  if (value === undefined || value.trim() === '') {
    throw new ExchangeFileError(file, 'malformed', `${what} manquant.`, line);
  }
  return value.trim();
}

/** A millésime is the four digits of the file (e.g. ANNEE_SCOLAIRE 2017 = 2017-2018). */
export function millesimeOf(file: string, value: string | undefined, line: number): number {
  const v = required(file, value, 'année scolaire (millésime)', line);
  if (!/^\d{4}$/.test(v)) throw new ExchangeFileError(file, 'malformed', `année scolaire « ${v} » invalide (4 chiffres attendus).`, line);
  return Number(v);
}
