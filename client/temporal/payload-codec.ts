// AES-256-GCM payload codec: what remains in workflow inputs and results (ids, counts, statuses)
// is encrypted before it reaches the Temporal server when SYNCHRO_CODEC_KEY is set. Same wire
// format as Temporal's encryption samples (metadata encoding "binary/encrypted", key id, the
// whole original Payload serialised then sealed), so a codec server can be added later.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
// CommonJS package: Node's ESM loader only sees its default export.
import proto from '@temporalio/proto';

const { temporal } = proto;

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined): string => (b ? new TextDecoder().decode(b) : '');

/** Parses SYNCHRO_CODEC_KEY: 32 bytes in base64 (e.g. `openssl rand -base64 32`). */
export function parseCodecKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('SYNCHRO_CODEC_KEY doit contenir 32 octets encodés en base64 (openssl rand -base64 32).');
  return key;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    // Inside then(): a failure becomes a rejected promise, as the SDK expects.
    return Promise.resolve().then(() =>
      payloads.map((payload) => {
        const nonce = randomBytes(NONCE_BYTES);
        const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
        const plain = temporal.api.common.v1.Payload.encode(payload).finish();
        const sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
        return { metadata: { [METADATA_ENCODING_KEY]: utf8(ENCODING), [KEY_ID]: utf8(this.keyId) }, data: sealed };
      }),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() =>
      payloads.map((payload) => {
        if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCODING) return payload;
        const keyId = text(payload.metadata?.[KEY_ID]);
        if (keyId !== this.keyId) throw new ValueError(`Charge chiffrée avec une autre clé (${keyId}) que SYNCHRO_CODEC_KEY (${this.keyId}).`);
        const data = Buffer.from(payload.data ?? new Uint8Array());
        const nonce = data.subarray(0, NONCE_BYTES);
        const tag = data.subarray(data.length - TAG_BYTES);
        const decipher = createDecipheriv('aes-256-gcm', this.key, nonce);
        decipher.setAuthTag(tag);
        const plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
        return temporal.api.common.v1.Payload.decode(plain);
      }),
    );
  }
}

/** The data converter for clients and workers: encrypted when a key is configured. */
export function dataConverterFor(codecKey: string | undefined): { payloadCodecs: PayloadCodec[] } | undefined {
  return codecKey ? { payloadCodecs: [new AesGcmPayloadCodec(parseCodecKey(codecKey))] } : undefined;
}
