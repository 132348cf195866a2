// `npm run bench [name…]`: runs every benchmark under scripts/bench/ (or the named ones) and prints
// figures. Targets are printed beside the figures; nothing here asserts timings.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchModule {
  /** Short name used to select it: `npm run bench lsu-parse`. */
  name: string;
  run(): Promise<void>;
}

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench');
const wanted = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort();
for (const file of files) {
  const mod = (await import(path.join(dir, file))) as { default: BenchModule };
  if (wanted.length > 0 && !wanted.includes(mod.default.name)) continue;
  console.log(`\n=== ${mod.default.name} (${file})`);
  await mod.default.run();
}
