// Reading a file from disk, bounded before the read starts: its size comes from `stat` and is held
// to the cap its name allows (formats/limits.ts), and the read itself stops one byte past that cap
// (a file that grew between stat and read is refused too). A 1.5 GB file is refused without being
// read, and Node's own "File size is greater than 2 GiB" never reaches a user.
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { assertReadableSize } from './xml.js';
import { capBeforeKind } from './limits.js';

export async function readBoundedFile(path: string, name = basename(path), cap = capBeforeKind(name)): Promise<Buffer> {
  const size = (await stat(path)).size;
  assertReadableSize(name, size, cap);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(size, cap) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    assertReadableSize(name, length, cap);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
