import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec, parseCodecKey } from '../../../client/temporal/payload-codec';

const key = randomBytes(32);
const payload = defaultPayloadConverter.toPayload({ uai: '0750680G', step: 'lsu-bilans', note: 'Élodie' });

describe('AES-GCM payload codec', () => {
  it('round-trips a payload and leaves no plaintext in what the server sees', async () => {
    const codec = new AesGcmPayloadCodec(key);
    const [sealed] = await codec.encode([payload]);
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('0750680G');
    expect(new TextDecoder().decode(sealed!.metadata!.encoding)).toBe('binary/encrypted');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ uai: '0750680G', step: 'lsu-bilans', note: 'Élodie' });
  });

  it('refuses a tampered payload and a payload sealed with another key', async () => {
    const [sealed] = await new AesGcmPayloadCodec(key).encode([payload]);
    const tampered = { ...sealed!, data: Buffer.from(sealed!.data!) };
    tampered.data[20] = (tampered.data[20]! + 1) % 256;
    await expect(new AesGcmPayloadCodec(key).decode([tampered])).rejects.toThrow();
    await expect(new AesGcmPayloadCodec(randomBytes(32)).decode([sealed!])).rejects.toThrow(/autre clé/);
  });

  it('passes through payloads that were not encrypted, and checks the key length', async () => {
    const [same] = await new AesGcmPayloadCodec(key).decode([payload]);
    expect(same).toBe(payload);
    expect(() => parseCodecKey(Buffer.from('court').toString('base64'))).toThrow(/32 octets/);
  });
});
