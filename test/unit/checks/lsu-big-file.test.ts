// Issue 11, item 5: an LSU file of 60–100 Mo is validated against its XSD like any other. Until
// then, files over 20 MB skipped validation: a 60 MB file with one element its XSD forbids was
// accepted. Here a generated collège's file of about 61 Mo is written as a stream, checked (valid),
// then copied as a stream with one <intrus/> inserted at a line we note, and checked again.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../../checks/check-file.js';
import { bigLsuFile } from '../../../generators/index.js';

const MO = 1024 * 1024;
let dir: string;
let valid: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'synchro-lsu-big-'));
  valid = join(dir, 'import_lsu_20180115120000.xml');
  await bigLsuFile(valid, { targetBytes: 64_000_000, seed: 11 });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** Copies `from` to `to` as a stream, inserting `element` before the first <bilan-periodique> after `afterBytes`; returns its line. */
async function copyWithElement(from: string, to: string, afterBytes: number, element: string): Promise<number> {
  const needle = '<bilan-periodique ';
  let lines = 1; // 1 + newlines already emitted
  let emitted = 0;
  let carry = '';
  let insertedAt = 0;
  const newlines = (s: string): number => s.split('\n').length - 1;
  const insert = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let text = carry + chunk.toString('latin1'); // latin1: every byte maps to one char and back
      if (insertedAt === 0 && emitted + text.length > afterBytes) {
        const i = text.indexOf(needle, Math.max(0, afterBytes - emitted));
        if (i >= 0) {
          insertedAt = lines + newlines(text.slice(0, i));
          text = `${text.slice(0, i)}${element}${text.slice(i)}`;
        }
      }
      const keep = insertedAt === 0 ? needle.length : 0; // the needle may straddle two chunks
      const out = text.slice(0, text.length - keep);
      carry = text.slice(text.length - keep);
      lines += newlines(out);
      emitted += out.length;
      done(null, Buffer.from(out, 'latin1'));
    },
    flush(done) {
      done(null, Buffer.from(carry, 'latin1'));
    },
  });
  await pipeline(createReadStream(from), insert, createWriteStream(to));
  return insertedAt;
}

describe('LSU files of 60–100 Mo against their XSD (synchro check)', () => {
  it('accepts the valid file and rejects, as Bloquant naming the line and the element, the one with an element its XSD forbids', async () => {
    expect((await stat(valid)).size).toBeGreaterThanOrEqual(60 * MO);
    const ok = await checkFile(valid, { on: '2018-01-15' });
    expect(ok.anomalies.filter((a) => a.level === 'blocking')).toEqual([]);
    expect(ok.verdict).not.toBe('rejected');

    const invalid = join(dir, 'import_lsu_20180115120001.xml');
    const line = await copyWithElement(valid, invalid, 50 * MO, '<intrus/>');
    expect(line).toBeGreaterThan(500_000); // far into the file, past 50 Mo
    const result = await checkFile(invalid, { on: '2018-01-15' });
    expect(result.verdict).toBe('rejected');
    const schema = result.anomalies.filter((a) => a.code === 'LSU_SCHEMA');
    expect(schema).toHaveLength(1);
    expect(schema[0]).toMatchObject({ level: 'blocking', subject: { line } });
    expect(schema[0]!.message).toMatch(new RegExp(`^Le fichier est rejeté, aucun bilan n'est importé : ligne ${line}, élément <intrus> : élément inattendu`));
    expect(result.lsu?.periodic.imported).toBe(0);
    expect(result.lsu?.periodic.processed).toBe(ok.lsu?.periodic.processed);
  }, 120_000);
});
