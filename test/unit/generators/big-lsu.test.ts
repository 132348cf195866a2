import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLsuBilans } from '../../../formats/lsu-bilans.js';
import { bigLsuFile } from '../../../generators/index.js';

describe('bigLsuFile', () => {
  it('streams an LSU file close to the target size that the streaming reader reads whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synchro-big-'));
    try {
      const path = join(dir, 'big.xml');
      const target = 4_000_000;
      const { bytes, pupils } = await bigLsuFile(path, { targetBytes: target, seed: 9 });
      expect((await stat(path)).size).toBe(bytes);
      expect(Math.abs(bytes - target) / target).toBeLessThan(0.1);
      let periodic = 0;
      const result = await readLsuBilans(path, (b) => {
        if (b.kind === 'periodic') periodic++;
      });
      expect(result.referentials.pupils.size).toBeGreaterThan(0);
      expect(periodic).toBe(result.referentials.pupils.size);
      expect(pupils).toBeGreaterThanOrEqual(600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
