import { deflateRawSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { readSingleXml, readZip, writeZip } from '../../../formats/archive.js';
import { ExchangeFileError } from '../../../formats/errors.js';

const xml = Buffer.from('<?xml version="1.0"?><BEE_ELEVES/>');

function zipOf(entries: { name: string; data: Buffer; attr?: number; rawName?: string }[]): Buffer {
  const zip = new AdmZip();
  for (const e of entries) {
    zip.addFile(e.name, e.data);
    const added = zip.getEntry(e.name)!;
    // adm-zip normalises file types and names on add: set the hostile ones straight in the header.
    if (e.attr !== undefined) added.header.attr = e.attr;
    if (e.rawName !== undefined) added.entryName = e.rawName;
  }
  return zip.toBuffer();
}

/** Rewrites every declared uncompressed size (local and central headers): a lying archive. */
function lieAboutSizes(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let i = 0; i < out.length - 4; i += 1) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x04034b50) out.writeUInt32LE(size, i + 22);
    if (sig === 0x02014b50) out.writeUInt32LE(size, i + 24);
  }
  return out;
}

async function refusal(bytes: Buffer): Promise<ExchangeFileError> {
  try {
    await readZip('ExportXML_ElevesSansAdresses.zip', bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ExchangeFileError);
    return e as ExchangeFileError;
  }
  throw new Error('archive accepted');
}

describe('readZip refuses hostile archives', () => {
  it('accepts a plain export zip', async () => {
    const entries = await readZip('ok.zip', zipOf([{ name: 'ElevesSansAdresses.xml', data: xml }]));
    expect(entries).toEqual([{ name: 'ElevesSansAdresses.xml', data: xml }]);
  });

  it.each(['../evil.xml', 'a/../../evil.xml', '/etc/evil.xml', 'C:/evil.xml', '..\\evil.xml'])('path traversal %s', async (name) => {
    const error = await refusal(zipOf([{ name: 'placeholder.xml', data: xml, rawName: name }]));
    expect(error.code).toBe('zip-unsafe');
    expect(error.message).toMatch(/sort du dossier/);
  });

  it('symlinks', async () => {
    const error = await refusal(zipOf([{ name: 'link.xml', data: Buffer.from('/etc/passwd'), attr: (0o120777 << 16) >>> 0 }]));
    expect(error.message).toMatch(/lien symbolique/);
  });

  it('nested archives, by name and by content', async () => {
    const inner = zipOf([{ name: 'a.xml', data: xml }]);
    expect((await refusal(zipOf([{ name: 'inner.zip', data: inner }]))).message).toMatch(/imbriquée/);
    expect((await refusal(zipOf([{ name: 'inner.xml', data: inner }]))).message).toMatch(/imbriquée/);
  });

  it('too many entries', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ name: `f${i}.xml`, data: xml }));
    expect((await refusal(zipOf(many))).message).toMatch(/40 entrées/);
  });

  it('a bomb whose declared size is honest is refused before inflating', async () => {
    const big = Buffer.alloc(120 * 1024 * 1024);
    const error = await refusal(zipOf([{ name: 'bomb.xml', data: big }]));
    expect(error.code).toBe('zip-unsafe');
  });

  it('a bomb that lies about its size is stopped while inflating', async () => {
    const lying = lieAboutSizes(zipOf([{ name: 'bomb.xml', data: Buffer.alloc(60 * 1024 * 1024) }]), 1000);
    const error = await refusal(lying);
    expect(error.code).toBe('zip-unsafe');
    expect(error.message).toMatch(/bombe zip/);
  });

  it('an entry shorter than it declares, or whose deflate stream is broken, is a damaged archive', async () => {
    const data = Buffer.from(`<?xml version="1.0"?><BEE_ELEVES>${'<ELEVE/>'.repeat(200)}</BEE_ELEVES>`);
    const short = await refusal(lieAboutSizes(zipOf([{ name: 'ElevesSansAdresses.xml', data }]), data.length + 10));
    expect(short.code).toBe('malformed');
    expect(short.message).toMatch(/corrompu dans l'archive/);
    // The compressed bytes replaced by an invalid deflate block (BTYPE 11), sizes left as declared.
    const broken = zipOf([{ name: 'ElevesSansAdresses.xml', data }]);
    const start = 30 + broken.readUInt16LE(26) + broken.readUInt16LE(28);
    broken.fill(0xff, start, start + broken.readUInt32LE(18));
    const error = await refusal(broken);
    expect(error.code).toBe('malformed');
    expect(error.message).toMatch(/corrompu dans l'archive/);
  });

  it('a stored (uncompressed) entry is read as it is', async () => {
    const zip = new AdmZip();
    zip.addFile('ElevesSansAdresses.xml', xml);
    zip.getEntry('ElevesSansAdresses.xml')!.header.method = 0;
    const entries = await readZip('ok.zip', zip.toBuffer());
    expect(entries).toEqual([{ name: 'ElevesSansAdresses.xml', data: xml }]);
  });

  it('garbage and empty input', async () => {
    expect((await refusal(Buffer.from('PK\u0003\u0004 not really a zip'))).code).toBe('malformed');
    expect((await refusal(Buffer.alloc(0))).code).toBe('empty');
  });

  it('readSingleXml wants exactly one XML', async () => {
    await expect(readSingleXml('z.zip', zipOf([{ name: 'a.txt', data: xml }]))).rejects.toThrow(/aucun fichier XML/);
    await expect(readSingleXml('z.zip', zipOf([{ name: 'a.xml', data: xml }, { name: 'b.xml', data: xml }]))).rejects.toThrow(/2 fichiers XML/);
  });

  it('writeZip gives the same bytes for the same input and date', () => {
    const at = new Date(2018, 2, 5, 8, 30, 0);
    expect(writeZip([{ name: 'a.xml', data: xml }], at).equals(writeZip([{ name: 'a.xml', data: xml }], at))).toBe(true);
    expect(deflateRawSync(xml).length).toBeGreaterThan(0);
  });
});
