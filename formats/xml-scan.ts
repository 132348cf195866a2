// A fast reading of the XML our exchange files are made of, with saxes (formats/xml.ts) as the
// authority. saxes reads one character at a time through a state machine; in a year of 500
// schools it was most of the parse threads' time (a lycée's 4.2 Mo pupils export: 45 ms of saxes
// out of 117 ms of reading, and much of the garbage). This scanner jumps from '<' to '<' with
// indexOf and hands the same elements, attributes, text and lines to the same tree builder.
//
// It reads only a strict subset of well-formed XML, the subset exchange files are written in:
// ASCII names, attribute values without '<' or line breaks, the five predefined entities and
// character references, comments and CDATA. Anything outside it, well-formed or not, is "unsure":
// the scan stops and saxes reads the document from the start (xml.ts), so every refusal and its
// message stays saxes'. test/unit/formats/xml-scan.test.ts holds both readers to the same trees on
// the real artefacts and on thousands of damaged copies of them.

/** What the scan hands its elements to (formats/xml.ts TreeBuilder). */
export interface ScanTarget {
  open(name: string, attributes: Record<string, string>, line: number): void;
  close(): void;
  text(text: string): void;
  /**
   * False once the open element has had a child element: whitespace alone from there on is not
   * kept (TreeBuilder.text), so the scan need not even slice it.
   */
  keepsSpace(): boolean;
  /** Set by close() once the element a header read waits for is closed: the scan ends there. */
  readonly stopped: boolean;
}

/** The scan met something it does not read: saxes reads the document instead. */
export const UNSURE = false;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOS = 0x27;

/** ASCII name characters: 1 may start a name, 2 may only follow (XML 1.0 NameStartChar / NameChar). */
const NAME = new Uint8Array(128);
for (let c = 0; c < 128; c += 1) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_:]/.test(ch)) NAME[c] = 1;
  else if (/[-.0-9]/.test(ch)) NAME[c] = 2;
}

/** Whether text[from, to) is whitespace only (XML's four whitespace characters). */
export function isBlank(text: string, from = 0, to = text.length): boolean {
  for (let i = from; i < to; i += 1) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/**
 * Characters XML 1.0 forbids anywhere (Char production), and surrogates: a pair is allowed, but
 * telling one from a lone half costs four times the search, and exchange files have none.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const FORBIDDEN_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\uD800-\uDFFF]/;
/** The declaration this scan reads; any other (XML 1.1, odd spacing kept aside) is saxes'. */
const DECLARATION = /^<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.0\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\3)?[ \t\n]*\?>/;
/** An '&' that does not start one of the references this scan decodes. */
const BAD_REFERENCE = /&(?!(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/g;
const NO_ATTRIBUTES: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Decodes the references of a text or attribute value; undefined when one is not for this scan. */
function decodeReferences(raw: string): string | undefined {
  if (BAD_REFERENCE.test(raw)) return undefined;
  let bad = false;
  const decoded = raw.replace(REFERENCE, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name !== undefined) return PREDEFINED[name]!;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    if (!isXmlChar(code)) {
      bad = true;
      return '';
    }
    return String.fromCodePoint(code);
  });
  return bad ? undefined : decoded;
}

/** Line numbers as saxes gives them: the line of the '>' that ends an open tag. */
class Lines {
  line = 1;
  private next: number;
  constructor(private readonly text: string) {
    this.next = text.indexOf('\n');
  }
  at(position: number): number {
    // The next newline is kept between calls: a document on one line is not searched again each time.
    while (this.next !== -1 && this.next < position) {
      this.line += 1;
      this.next = this.text.indexOf('\n', this.next + 1);
    }
    return this.line;
  }
}

/** The end of the name starting at `at`, or -1 when it is not an ASCII XML name. */
function nameEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (!(first < 128 && NAME[first] === 1)) return -1;
  let i = at + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c < 128 && NAME[c] !== 0) i += 1;
    else if (c >= 128) return -1;
    else return i;
  }
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (isSpace(text.charCodeAt(i))) i += 1;
  return i;
}

/** Past the comment that starts at `at` ('<!--'); -1 when it is unclosed or holds '--' (an error). */
function afterComment(text: string, at: number): number {
  const end = text.indexOf('--', at + 4);
  return end === -1 || text.charCodeAt(end + 2) !== GT ? -1 : end + 3;
}

/** Comments, whitespace and nothing else (before the root and after it); -1 when something else. */
function skipMisc(text: string, at: number): number {
  let i = at;
  for (;;) {
    i = skipSpace(text, i);
    if (!text.startsWith('<!--', i)) return i;
    i = afterComment(text, i);
    if (i === -1) return -1;
  }
}

/**
 * Reads `text` (a decoded document) into `target`. Returns true when the whole document (or its
 * head up to `target.stopped`) was read, UNSURE when saxes must read it: the target may then have
 * been handed part of the document, and its owner starts again with saxes.
 */
export function scanXml(text: string, target: ScanTarget): boolean {
  if (FORBIDDEN_CHAR.test(text)) return UNSURE;
  // Line ends are normalized before parsing (XML 1.0 § 2.11), as saxes does.
  const doc = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  const lines = new Lines(doc);
  let i = 0;
  if (doc.startsWith('<?xml')) {
    const declaration = DECLARATION.exec(doc);
    if (!declaration) return UNSURE;
    i = declaration[0].length;
  }
  i = skipMisc(doc, i);
  if (i === -1 || doc.charCodeAt(i) !== LT) return UNSURE;
  /** The open elements' names. */
  const open: string[] = [];
  const length = doc.length;
  let nextAmpersand = doc.indexOf('&');
  let nextCdataEnd = doc.indexOf(']]>');
  while (i < length) {
    if (doc.charCodeAt(i) !== LT) {
      const lt = doc.indexOf('<', i);
      if (lt === -1) return UNSURE;
      // The next '&' and ']]>' of the document are searched once each, not once per text.
      if (nextAmpersand !== -1 && nextAmpersand < i) nextAmpersand = doc.indexOf('&', i);
      if (nextCdataEnd !== -1 && nextCdataEnd < i) nextCdataEnd = doc.indexOf(']]>', i);
      if (nextCdataEnd !== -1 && nextCdataEnd < lt) return UNSURE;
      if (!target.keepsSpace() && isBlank(doc, i, lt)) {
        i = lt;
        continue;
      }
      const raw = doc.slice(i, lt);
      const value = nextAmpersand !== -1 && nextAmpersand < lt ? decodeReferences(raw) : raw;
      if (value === undefined) return UNSURE;
      target.text(value);
      i = lt;
    }
    const next = doc.charCodeAt(i + 1);
    if (next === SLASH) {
      // The close tag must name the open element (and end there: whitespace, then '>').
      const depth = open.length - 1;
      if (depth < 0) return UNSURE;
      const openName = open[depth]!;
      const at = i + 2;
      if (!doc.startsWith(openName, at)) return UNSURE;
      const close = skipSpace(doc, at + openName.length);
      if (doc.charCodeAt(close) !== GT) return UNSURE;
      open.pop();
      target.close();
      i = close + 1;
      if (target.stopped) return true;
      if (open.length === 0) break;
      continue;
    }
    if (next === BANG) {
      if (doc.startsWith('<!--', i)) {
        i = afterComment(doc, i);
        if (i === -1) return UNSURE;
        continue;
      }
      if (doc.startsWith('<![CDATA[', i)) {
        const end = doc.indexOf(']]>', i + 9);
        if (end === -1) return UNSURE;
        target.text(doc.slice(i + 9, end));
        i = end + 3;
        continue;
      }
      return UNSURE;
    }
    // An open tag (a processing instruction, or anything else, is saxes').
    const nameStop = nameEnd(doc, i + 1);
    if (nameStop === -1) return UNSURE;
    const name = doc.slice(i + 1, nameStop);
    // Most tags have no attribute: they share one empty set (the builder keeps its own for them).
    let attributes = NO_ATTRIBUTES;
    let j = nameStop;
    let selfClosing = false;
    for (;;) {
      const spaced = skipSpace(doc, j);
      const c = doc.charCodeAt(spaced);
      if (c === GT) {
        j = spaced;
        break;
      }
      if (c === SLASH) {
        if (doc.charCodeAt(spaced + 1) !== GT) return UNSURE;
        selfClosing = true;
        j = spaced + 1;
        break;
      }
      // An attribute: whitespace before it, Name Eq AttValue.
      if (spaced === j) return UNSURE;
      const attrEnd = nameEnd(doc, spaced);
      if (attrEnd === -1) return UNSURE;
      const eq = skipSpace(doc, attrEnd);
      if (doc.charCodeAt(eq) !== EQUALS) return UNSURE;
      const quoteAt = skipSpace(doc, eq + 1);
      const quote = doc.charCodeAt(quoteAt);
      if (quote !== QUOTE && quote !== APOS) return UNSURE;
      const close = doc.indexOf(quote === QUOTE ? '"' : "'", quoteAt + 1);
      if (close === -1) return UNSURE;
      const raw = doc.slice(quoteAt + 1, close);
      // '<' is an error, line breaks and tabs are normalized to spaces: both are saxes'.
      if (/[<\n\t]/.test(raw)) return UNSURE;
      const value = raw.includes('&') ? decodeReferences(raw) : raw;
      const attrName = doc.slice(spaced, attrEnd);
      if (value === undefined || attributes[attrName] !== undefined) return UNSURE;
      // saxes' attribute sets have no prototype (an attribute may be named "constructor").
      if (attributes === NO_ATTRIBUTES) attributes = Object.create(null) as Record<string, string>;
      attributes[attrName] = value;
      j = close + 1;
    }
    target.open(name, attributes, lines.at(j));
    i = j + 1;
    if (selfClosing) {
      target.close();
      if (target.stopped) return true;
      if (open.length === 0) break;
    } else {
      open.push(name);
    }
  }
  if (open.length !== 0) return UNSURE;
  // After the root: comments and whitespace only.
  return skipMisc(doc, i) === length;
}
