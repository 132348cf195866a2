// A request body streamed to a file on disk, hashed on the way, and cut off as soon as it passes
// the cap: an upload is never held whole in memory, and a 2 GB body costs at most the cap in disk
// and one chunk in memory before it is refused. The caller reads Content-Length first and refuses
// a declared size over the cap without reading anything.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';

/** LSU's own limit for an import file (seed 000), applied to every upload. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export type StreamedBody = { ok: true; bytes: number; sha256: string } | { ok: false; reason: 'too-large' | 'empty'; received: number };

export async function streamBodyToFile(body: ReadableStream<Uint8Array> | null, path: string, maxBytes = MAX_UPLOAD_BYTES): Promise<StreamedBody> {
  if (!body) return { ok: false, reason: 'empty', received: 0 };
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  const reader = body.getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        // Stop reading: the rest of the body is never pulled (the connection is closed by the server).
        await reader.cancel('too large').catch(() => undefined);
        out.destroy();
        await rm(path, { force: true });
        return { ok: false, reason: 'too-large', received };
      }
      hash.update(value);
      if (!out.write(value)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } catch (error) {
    out.destroy();
    await rm(path, { force: true });
    throw error;
  }
  if (received === 0) {
    await rm(path, { force: true });
    return { ok: false, reason: 'empty', received };
  }
  return { ok: true, bytes: received, sha256: hash.digest('hex') };
}
