// Parsed exchange files by content, for the worker's lifetime. A school's chain reads the same
// files again from step to step (its sts_emp in five steps, its pupils export at SIECLE's night and
// at LSU's base sync), and parsing is most of a step's CPU: with an académie of hundreds of schools
// on one worker, parsing each file once is worth a bounded cache. Files are keyed by sha256 and
// name (a new export is a new key: nothing stale is ever served) and results are deep-frozen, so a
// caller that tried to change shared data would fail loudly instead of corrupting another step.
import { isZip } from '../formats/archive';
import type { ExchangeFile } from '../formats/detect';
import { parseExchangeFile } from '../formats/parse-pool';
import { createHash } from 'node:crypto';

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Kinds read again by later steps; the others (élève-groupe, LSU bilans…) are read once. */
const REREAD_KINDS: ReadonlySet<ExchangeFile['kind']> = new Set(['sts-edt', 'edt-sts', 'siecle-eleves', 'siecle-structures', 'siecle-communs', 'siecle-nomenclature']);

/**
 * Memory a parsed file holds, estimated from its bytes: a zipped BEE export holds 10 to 40 times its
 * size once parsed (1.4 MB for a 600-pupil collège's 35 KB pupils zip), plain XML about twice.
 */
const weightOf = (bytes: Uint8Array): number => bytes.length * (isZip(bytes) ? 40 : 2);

/** Default budget: about a hundred schools' sts_emp, pupils, structures and communs. */
export const PARSED_FILES_BUDGET = 256 * 1024 * 1024;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export class ParsedFiles {
  private readonly entries = new Map<string, { file: ExchangeFile; weight: number }>();
  private weight = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly budget = PARSED_FILES_BUDGET) {}

  /**
   * readExchangeFile in a parse thread (formats/parse-pool.ts: heap-limited, every core), served
   * from the cache when these bytes under this name were read before.
   */
  async read(name: string, bytes: Uint8Array): Promise<ExchangeFile> {
    const key = `${sha256Of(bytes)}:${name}`;
    const known = this.entries.get(key);
    if (known) {
      this.hits += 1;
      this.entries.delete(key); // most recently used last
      this.entries.set(key, known);
      return known.file;
    }
    this.misses += 1;
    const file = await parseExchangeFile(name, bytes);
    this.keep(key, file, weightOf(bytes));
    return file;
  }

  /**
   * Keeps a file parsed on the main thread (checks/sts-dtd.ts parses an sts_emp or emp_sts once for
   * its DTD and its content), so that the steps after find it as if read here.
   */
  remember(name: string, bytes: Uint8Array, file: ExchangeFile): void {
    this.keep(`${sha256Of(bytes)}:${name}`, file, weightOf(bytes));
  }

  private keep(key: string, file: ExchangeFile, weight: number): void {
    if (!REREAD_KINDS.has(file.kind) || weight > this.budget) return;
    // Two reads of the same file at once both miss: the second replaces the first, counted once.
    const known = this.entries.get(key);
    if (known) {
      this.entries.delete(key);
      this.weight -= known.weight;
    }
    this.entries.set(key, { file: deepFreeze(file), weight });
    this.weight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.weight <= this.budget) break;
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
  }
}

/** The worker's cache: one per process, shared by every step and the night. */
export const parsedFiles = new ParsedFiles();
