import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeLsuBilans } from '../../../formats/lsu-bilans-writer.js';
import { validateLsuBilans } from '../../../formats/schema.js';
import { lsuSampleDocument } from '../../support/lsu-sample.js';

async function written(schemaVersion: string): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeLsuBilans(lsuSampleDocument(schemaVersion), out);
  return Buffer.concat(chunks);
}

describe('writeLsuBilans', () => {
  it.each(['10.0', '7.0', '3.0', '2.0'])('writes a schemaVersion %s file that validates against its XSD', async (version) => {
    const bytes = await written(version);
    const result = await validateLsuBilans('import_lsu.xml', bytes);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    const text = bytes.toString('utf8');
    expect(text).toContain(`schemaVersion="${version}"`);
    expect(text.includes('date-verrou')).toBe(version === '2.0' || version === '3.0');
  });

  it('refuses a schemaVersion without a known schema', async () => {
    await expect(writeLsuBilans(lsuSampleDocument('9.0'), new PassThrough())).rejects.toThrow(/9\.0/);
  });

  it('leaves out acquis-conseils when the bilan has no general appraisal, which the XSD rejects', async () => {
    const doc = lsuSampleDocument();
    doc.periodic[0]!.hasGeneralAppraisal = false;
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeLsuBilans(doc, out);
    const result = await validateLsuBilans('import_lsu.xml', Buffer.concat(chunks));
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.line).toBeGreaterThan(1);
  });
});
