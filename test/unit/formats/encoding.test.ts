import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeXml } from '../../../formats/xml.js';

// decodeXml decodes ISO-8859-15 (the BEE exports' encoding) with Node's TextDecoder and any other
// declared single-byte encoding with iconv-lite: both must give the same text for every byte.
describe('decodeXml encodings', () => {
  const everyByte = Buffer.from(Array.from({ length: 256 - 32 }, (_, i) => i + 32).filter((b) => b !== 0x3c && b !== 0x26));
  const documentIn = (label: string): Buffer =>
    Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="${label}"?><A>`), everyByte, Buffer.from('</A>')]);

  it.each(['ISO-8859-15', 'iso-8859-15', 'latin9', 'ISO-8859-1', 'windows-1252'])('%s: as iconv-lite decodes it', (label) => {
    const bytes = documentIn(label);
    expect(decodeXml('t.xml', bytes)).toBe(iconv.decode(bytes, label));
  });

  it('ISO-8859-15 names come out intact (Œ, €, Š are the bytes where it differs from Latin-1)', () => {
    const bytes = iconv.encode('<?xml version="1.0" encoding="ISO-8859-15"?><N>ŒUVRÉ Zoé 10 € Šárka</N>', 'ISO-8859-15');
    expect(bytes.includes(0xbc)).toBe(true); // Œ
    expect(decodeXml('t.xml', bytes)).toContain('ŒUVRÉ Zoé 10 € Šárka');
  });
});
