// The scan (formats/xml-scan.ts) reads most documents instead of saxes: on every real artefact, on
// hand-written edge cases and on thousands of damaged copies, a tree read with the scan must be the
// tree saxes reads (names, attributes, text, lines), and a refusal the same refusal. The scan must
// also be sure of the real well-formed files: were it to give them all to saxes, it would be right
// and useless.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExchangeFileError } from '../../../formats/errors.js';
import { decodeXml, parseXmlTree, type XmlElement } from '../../../formats/xml.js';
import { scanXml, UNSURE, type ScanTarget } from '../../../formats/xml-scan.js';
import { generateSchool, siecleExportXml } from '../../../generators/index.js';
import { sharedFormatsDir } from '../../support/shared-formats.js';

function outcome(bytes: Uint8Array, saxesOnly: boolean, stopAfter?: string): string {
  try {
    return JSON.stringify(parseXmlTree('f.xml', bytes, { saxesOnly, ...(stopAfter && { stopAfter }) }));
  } catch (error) {
    if (error instanceof ExchangeFileError) return `refused ${error.code} ${error.line} ${error.message}`;
    throw error;
  }
}

/** Whether the scan read the document on its own (no saxes). */
function scanIsSure(bytes: Uint8Array): boolean {
  const target: ScanTarget = { stopped: false, open() {}, close() {}, text() {}, keepsSpace: () => true };
  return scanXml(decodeXml('f.xml', bytes), target) !== UNSURE;
}

function xmlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return xmlFilesUnder(path);
    return /\.xml$/i.test(name) ? [path] : [];
  });
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('the scan reads what saxes reads', () => {
  it('on every real XML artefact and hand-written fixture: the same tree or the same refusal, and sure of the well-formed ones', () => {
    const files = [...xmlFilesUnder(sharedFormatsDir), ...xmlFilesUnder(join(__dirname, '..', '..', 'fixtures'))];
    expect(files.length).toBeGreaterThan(15);
    let sure = 0;
    for (const file of files) {
      const bytes = readFileSync(file);
      const reference = outcome(bytes, true);
      expect(outcome(bytes, false), file).toBe(reference);
      if (reference.startsWith('refused')) continue;
      expect(scanIsSure(bytes), `la lecture rapide renvoie ${file} à saxes`).toBe(true);
      sure += 1;
    }
    expect(sure).toBeGreaterThan(12);
  });

  it('on a generated lycée pupils export, also read only up to its header', () => {
    const school = generateSchool({ seed: 3, kind: 'lycee', pupils: 400, millesime: 2024 });
    const bytes = siecleExportXml(school.model, 'ElevesSansAdresses');
    expect(scanIsSure(bytes)).toBe(true);
    expect(outcome(bytes, false)).toBe(outcome(bytes, true));
    // A header read: the scan stops at PARAMETRES; saxes may have read further in the same chunk.
    const head = JSON.parse(outcome(bytes, false, 'PARAMETRES')) as XmlElement;
    expect(head.children.map((c) => c.name)).toEqual(['PARAMETRES']);
    expect(head.children[0]).toEqual((JSON.parse(outcome(bytes, true)) as XmlElement).children[0]);
  });

  const cases: Record<string, string> = {
    'declaration, comments, CDATA, references, both quotes, CRLF': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<!-- head -->\r\n<R a="1" b=\'x &amp; y\' c = "&#233;&#x41;">\r\n  <E>t&lt;1&gt; &quot;q&quot; &apos;</E><![CDATA[<raw> & ]]]>\r<F/><G  h="2"  /></R >\n<!-- tail -->\n',
    'tab in an attribute (saxes makes it a space)': '<R a="x\ty"/>',
    'newline in an attribute (saxes makes it a space)': '<R>\n<E b="l\nm"/></R>',
    'CRLF in an attribute': '<R b="l\r\nm"/>',
    'less-than in an attribute': '<R><E c="<"/></R>',
    'attributes on several lines': '<R>\n  <E\n    a="1"\n    b="2"\n  >x</E>\n</R>',
    'non-ASCII names (well-formed, left to saxes)': '<RÉSULTAT><élève>1</élève></RÉSULTAT>',
    'processing instruction in the root': '<R><?pi data?><E/></R>',
    'XML 1.1 declaration': '<?xml version="1.1"?><R/>',
    'declaration after whitespace': ' <?xml version="1.0"?><R/>',
    'mismatched close tag': '<R><A></B></R>',
    'close tag longer than the open one': '<R><A></AB></R>',
    'unclosed root': '<R><A></A>',
    'two roots': '<R/><S/>',
    'text after the root': '<R/>x',
    'text before the root': 'x<R/>',
    'unknown entity': '<R>&nbsp;</R>',
    'bare ampersand': '<R>a & b</R>',
    'character reference to NUL': '<R>&#0;</R>',
    'control character': '<R>\u0001</R>',
    ']]> in text': '<R>a ]]> b</R>',
    'double hyphen in a comment': '<R><!-- a -- b --></R>',
    'comment ending in a hyphen': '<R><!-- a ---></R>',
    'duplicate attribute': '<R a="1" a="2"/>',
    'attributes without whitespace between': '<R a="1"b="2"/>',
    'attribute without value': '<R a/>',
    'unquoted attribute': '<R a=1/>',
    'slash inside a tag': '<R/ >',
    'DOCTYPE inside the root': '<R><!DOCTYPE x></R>',
    'empty element names': '<R><></></R>',
    'close tag with space then garbage': '<R></R x>',
    'supplementary character (a surrogate pair, left to saxes)': '<R>\u{1F600}</R>',
    'attribute named constructor': '<R constructor="c" __proto__="p"/>',
  };
  for (const [what, text] of Object.entries(cases)) {
    it(`by hand: ${what}`, () => {
      expect(outcome(utf8(text), false)).toBe(outcome(utf8(text), true));
    });
  }

  it('is sure of the constructs exchange files use (declaration, comments, CDATA, references, CRLF)', () => {
    expect(scanIsSure(utf8(cases['declaration, comments, CDATA, references, both quotes, CRLF']!))).toBe(true);
    expect(JSON.parse(outcome(utf8(cases['declaration, comments, CDATA, references, both quotes, CRLF']!), false))).toMatchObject({ attrs: { b: 'x & y', c: 'éA' } });
  });

  it('drops whitespace alone once an element has had a child, and keeps every other text (both readers)', () => {
    const text = '<R>\n  <A> </A>\n  <B>x<C/> y \n<D/>\n\t</B>\n  &#32;<![CDATA[ ]]>\n  <E> </E>\n</R>';
    for (const saxesOnly of [false, true]) {
      const root = parseXmlTree('f.xml', utf8(text), { saxesOnly });
      // Before the first child: kept (a leaf's text, an EMPTY element's content, stay as written).
      expect(root.text).toBe('\n  ');
      expect(root.children[0]!.text).toBe(' ');
      // After a child: text that is not whitespace only is kept whole.
      expect(root.children[1]!.text).toBe('x y \n');
      // A sibling that comes after an element with children still keeps its own whitespace.
      expect(root.children[2]!.text).toBe(' ');
    }
    expect(scanIsSure(utf8(text))).toBe(true);
  });

  it('hands each record over once when it gives a document to saxes half-way', () => {
    const taken: string[] = [];
    const text = '<R><E>1</E><E>2</E><?pi after two records?><E>3</E></R>';
    expect(scanIsSure(utf8(text))).toBe(false);
    parseXmlTree('f.xml', utf8(text), { records: { E: (el) => taken.push(el.text) } });
    expect(taken).toEqual(['1', '2', '3']);
  });

  it('on thousands of damaged copies: the same tree or the same refusal', () => {
    // A small PRNG with a fixed seed: the same damaged copies on every run.
    let seed = 0x5eed;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = ['<', '>', '/', '!', '?', '-', '[', ']', '&', ';', '#', '"', "'", '=', ' ', '\n', '\r', '\t', 'A', 'é', '\u0001', ':', '&amp;', '<!--', '-->', ']]>', '<![CDATA[', '</', '/>', '&#', 'x'];
    const sources = [
      cases['declaration, comments, CDATA, references, both quotes, CRLF']!,
      readFileSync(join(__dirname, '..', '..', 'fixtures', 'sts-web', 'metropole', 'emp_sts_0750680G_2019.xml'), 'latin1').slice(0, 3000),
      '<?xml version="1.0" encoding="ISO-8859-15"?>\n<BEE_ELEVES VERSION="3.0">\n  <PARAMETRES><UAJ>0750680G</UAJ></PARAMETRES>\n  <DONNEES><ELEVES><ELEVE ELEVE_ID="1" ELENOET="2"><NOM_DE_FAMILLE>Dupré</NOM_DE_FAMILLE></ELEVE></ELEVES></DONNEES>\n</BEE_ELEVES>\n',
    ];
    let sure = 0;
    let mutants = 0;
    for (const source of sources) {
      for (let n = 0; n < 1500; n += 1) {
        let text = source;
        for (let edits = 1 + random(3); edits > 0; edits -= 1) {
          const at = random(text.length + 1);
          const kind = random(4);
          if (kind === 0) text = text.slice(0, at) + text.slice(at + 1 + random(4));
          else if (kind === 1) text = text.slice(0, at) + pieces[random(pieces.length)]! + text.slice(at);
          else if (kind === 2) text = text.slice(0, at) + pieces[random(pieces.length)]! + text.slice(at + 1);
          else text = text.slice(0, at) + text.slice(random(text.length), random(text.length)) + text.slice(at);
        }
        const bytes = Buffer.from(text, source.includes('ISO-8859') || source.includes('iso-8859') ? 'latin1' : 'utf8');
        const reference = outcome(bytes, true);
        expect(outcome(bytes, false), JSON.stringify(text)).toBe(reference);
        mutants += 1;
        try {
          if (scanIsSure(bytes)) sure += 1;
        } catch {
          // decodeXml refused it: saxes never saw it either.
        }
      }
    }
    expect(mutants).toBe(4500);
    // The scan must be tried on many of them, not hand them all to saxes.
    expect(sure).toBeGreaterThan(250);
  });
});
