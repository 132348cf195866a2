// The night's schools as a real night finds them: their SIECLE exports (pupils, structures,
// communs) were read when they arrived, by the SIECLE → PRONOTE step of each school's year, and
// are in the workers' parsed-files folder (connectors/parsed-store.ts). The bench reads them once
// into the provisioned folder's cache, through the same code (ParsedFiles and its DiskParsedStore,
// the parse threads), and every run copies that folder. BENCH_NIGHT_COLD=1 leaves the cache empty:
// the night parses every export itself, the case of exports that arrived since the last read.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DiskParsedStore, parsedStoreDir } from '../../../connectors/parsed-store';
import { ParsedFiles } from '../../../steps/parsed-files';
import { pool } from './pool';

/** What SIECLE's night reads of a school's SIECLE exports (connectors/night.ts). */
const NIGHT_READS = /^ExportXML_(Eleves|Structures|Communs)/i;

export interface WarmFigures {
  files: number;
  ms: number;
}

export async function warmNightExports(dataDir: string, uais: readonly string[], width: number): Promise<WarmFigures> {
  const store = new DiskParsedStore(parsedStoreDir(dataDir));
  // Memory kept to nothing: the bench process only fills the folder.
  const cache = new ParsedFiles(0);
  cache.useStore(store);
  const t0 = performance.now();
  let files = 0;
  await pool(uais, width, async (uai) => {
    const inbox = join(dataDir, 'schools', uai, 'siecle', 'inbox');
    for (const name of (await readdir(inbox)).filter((n) => NIGHT_READS.test(n))) {
      await cache.read(name, await readFile(join(inbox, name)));
      files += 1;
    }
  });
  if (store.counts.put !== files) throw new Error(`Cache des fichiers lus : ${store.counts.put} entrées écrites pour ${files} fichiers (échecs : ${store.counts.failed}).`);
  return { files, ms: performance.now() - t0 };
}
