import { describe, expect, it } from 'vitest';
import { readEleGroupe } from '../../../formats/elegroupe.js';
import { ExchangeFileError, type ExchangeFileErrorCode } from '../../../formats/errors.js';
import { readSiecleNomenclature } from '../../../formats/siecle-exports.js';
import { readStsEdt } from '../../../formats/sts-edt.js';
import { decodeXml, MAX_XML_BYTES } from '../../../formats/xml.js';
import { parseLsuBilansWhole } from '../../../formats/lsu-bilans.js';

const nomenclature = '<?xml version="1.0" encoding="UTF-8"?>\n<BEE_NOMENCLATURES VERSION="3.1">\n<PARAMETRES><UAJ>0750680G</UAJ><ANNEE_SCOLAIRE>2019</ANNEE_SCOLAIRE></PARAMETRES>\n<DONNEES><MATIERES><MATIERE CODE_MATIERE="030201"><LIBELLE_LONG>ANGLAIS</LIBELLE_LONG></MATIERE></MATIERES></DONNEES>\n</BEE_NOMENCLATURES>\n';

function refusal(read: () => unknown, code: ExchangeFileErrorCode): ExchangeFileError {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(ExchangeFileError);
    const error = e as ExchangeFileError;
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^Fichier « .+ »/);
    return error;
  }
  throw new Error(`accepted, ${code} expected`);
}

const read = (content: string | Buffer, name = 'Nomenclature.xml') => () => readSiecleNomenclature(name, typeof content === 'string' ? Buffer.from(content) : content);

describe('bad input gives one clear French error, never a crash or a hang', () => {
  it('control: the well-formed file is read', () => {
    expect(read(nomenclature)().subjects[0]?.code).toBe('030201');
  });

  it('empty and blank', () => {
    expect(refusal(read(''), 'empty').message).toContain('vide');
    refusal(read('   \n\t'), 'empty');
  });

  it('not XML (CSV, PDF, binary)', () => {
    expect(refusal(read('UAJ;ANNEE\n0750680G;2019\n', 'Nomenclature.csv'), 'not-xml').file).toBe('Nomenclature.csv');
    refusal(read(Buffer.from('%PDF-1.4\n%âãÏÓ')), 'not-xml');
  });

  it('truncated, with the line where it stops', () => {
    const error = refusal(read(nomenclature.slice(0, nomenclature.indexOf('</DONNEES>'))), 'truncated');
    expect(error.line).toBe(4);
  });

  it('wrong root', () => {
    refusal(() => readStsEdt('sts_emp_0750680G_2019.xml', Buffer.from(nomenclature)), 'wrong-root');
    refusal(() => readEleGroupe('x.xml', Buffer.from(nomenclature)), 'wrong-root');
  });

  it('unknown encoding, and ISO-8859-15 bytes declared as UTF-8', () => {
    refusal(read(nomenclature.replace('UTF-8', 'EBCDIC-KLINGON')), 'encoding');
    refusal(read(Buffer.concat([Buffer.from(nomenclature.replace('ANGLAIS', '')), Buffer.from([0xe9, 0x3c, 0x21, 0x2d, 0x2d, 0x2d, 0x2d, 0x3e])])), 'encoding');
  });

  it('UTF-8 with a BOM is fine', () => {
    expect(read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(nomenclature.replace('ANGLAIS', 'FRANÇAIS'))]))().subjects[0]?.longLabel).toBe('FRANÇAIS');
  });

  it('billion laughs and external entities are refused before parsing', () => {
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n')}\n]>\n<BEE_NOMENCLATURES>&lol9;</BEE_NOMENCLATURES>`;
    refusal(read(laughs), 'doctype');
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<BEE_NOMENCLATURES>&xxe;</BEE_NOMENCLATURES>';
    expect(refusal(read(xxe), 'doctype').line).toBe(2);
    refusal(() => parseLsuBilansWhole(Buffer.from(xxe)), 'doctype');
  });

  it('undefined entities and broken markup are malformed with their line', () => {
    expect(refusal(read(nomenclature.replace('ANGLAIS', 'ANGLAIS &nbsp;')), 'malformed').line).toBe(4);
    refusal(read(nomenclature.replace('<LIBELLE_LONG>', '<LIBELLE LONG>')), 'malformed');
  });

  it('refuses by size before decoding', () => {
    const fake = { length: MAX_XML_BYTES + 1 } as Uint8Array;
    refusal(() => decodeXml('ExportXML_Eleves.xml', fake), 'too-large');
  });

  it('a missing UAJ or a bad year is malformed', () => {
    refusal(read(nomenclature.replace('<UAJ>0750680G</UAJ>', '')), 'malformed');
    expect(refusal(read(nomenclature.replace('2019', '19')), 'malformed').message).toMatch(/année scolaire « 19 »/);
  });
});
