// Parsed exchange files by content, for the worker's lifetime. A school's chain reads the same
// files again from step to step (its sts_emp in five steps, its pupils export at SIECLE's night and
// at LSU's base sync), and parsing is most of a step's CPU: with an académie of hundreds of schools
// on one worker, parsing each file once is worth a bounded cache. Files are keyed by sha256 and
// name (a new export is a new key: nothing stale is ever served).
//
// Entries are kept serialized (v8.serialize, as the parse thread sends them), not as objects: a
// lycée's pupils export is 0.8 MB of bytes instead of millions of small objects on the heap that
// every major garbage collection would walk again, and the budget counts real bytes instead of an
// estimate. Each read deserializes its own copy (8 ms for that lycée's pupils, 2 ms for an
// sts_emp): a caller that changes what it got changes nothing another step reads.
//
// Below the memory, a worker keeps its parsed files on disk too (a ParsedStore, see
// connectors/parsed-store.ts): SIECLE's night reads the pupils export of every school that
// deposited, days after the SIECLE → PRONOTE step read it, and an académie's nights go past any
// memory budget. Parsing a collège's pupils export is 60 % of what its night costs the worker
// (measured on 2026-12-03: 84 ms a school with it, 34 ms without).
import { deserialize, serialize } from 'node:v8';
import type { ExchangeFile } from '../formats/detect';
import { parseExchangeFileSerialized } from '../formats/parse-pool';
import { createHash } from 'node:crypto';

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const keyOf = (name: string, bytes: Uint8Array): string => `${sha256Of(bytes)}:${name}`;

/**
 * Kinds read again by later steps (the élève-groupe file: at its deposit, then at SIECLE's night);
 * the others (LSU bilans…) are read once.
 */
const REREAD_KINDS: ReadonlySet<ExchangeFile['kind']> = new Set(['sts-edt', 'edt-sts', 'siecle-eleves', 'siecle-structures', 'siecle-communs', 'siecle-nomenclature', 'elegroupe']);

/**
 * Default budget, in serialized bytes: about 250 schools' sts_emp, emp_sts, pupils, structures and
 * communs (0.25 MB for a 600-pupil collège, 1.3 MB for a 2,500-pupil lycée), more than an
 * académie's window of schools in flight.
 */
export const PARSED_FILES_BUDGET = 128 * 1024 * 1024;

/**
 * Parsed files kept outside the process (serialized as in memory), by key (sha256 and name). A
 * store may lose entries (evicted, unreadable): a miss only means parsing again. It never throws.
 */
export interface ParsedStore {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, serialized: Uint8Array): Promise<void>;
}

export class ParsedFiles {
  private readonly entries = new Map<string, Uint8Array>();
  private weight = 0;
  private store: ParsedStore | undefined;
  hits = 0;
  /** Found in the store, not in memory. */
  storeHits = 0;
  misses = 0;

  constructor(private readonly budget = PARSED_FILES_BUDGET) {}

  /** Keeps parsed files in `store` too, and looks there before parsing (undefined: memory only). */
  useStore(store: ParsedStore | undefined): void {
    this.store = store;
  }

  /**
   * readExchangeFile in a parse thread (formats/parse-pool.ts: heap-limited, every core), served
   * from the cache when these bytes under this name were read before.
   */
  async read(name: string, bytes: Uint8Array): Promise<ExchangeFile> {
    const key = keyOf(name, bytes);
    const known = this.hit(key) ?? (await this.fromStore(key));
    if (known) return known;
    this.misses += 1;
    const serialized = await parseExchangeFileSerialized(name, bytes);
    const file = deserialize(serialized) as ExchangeFile;
    await this.keep(key, file.kind, serialized, 'store too');
    return file;
  }

  /**
   * Keeps a file parsed elsewhere (checks/sts-dtd.ts parses an sts_emp or emp_sts once for its DTD
   * and its content), so that the steps after find it as if read here. `serialized`: `file` as
   * v8.serialize made it already (a parse thread's answer), kept as it is.
   */
  async remember(name: string, bytes: Uint8Array, file: ExchangeFile, serialized?: Uint8Array): Promise<void> {
    if (REREAD_KINDS.has(file.kind)) await this.keep(keyOf(name, bytes), file.kind, serialized ?? serialize(file), 'store too');
  }

  /** A file kept under these bytes and name (in memory or in the store), as a copy, without reading it when it is not there. */
  async recall(name: string, bytes: Uint8Array): Promise<ExchangeFile | undefined> {
    const key = keyOf(name, bytes);
    return this.hit(key) ?? (await this.fromStore(key));
  }

  /** An entry of the store, now in memory too; undefined when the store has none (or a bad one). */
  private async fromStore(key: string): Promise<ExchangeFile | undefined> {
    const serialized = await this.store?.get(key);
    if (!serialized) return undefined;
    let file: ExchangeFile;
    try {
      file = deserialize(serialized) as ExchangeFile;
    } catch {
      return undefined; // written by something else than this cache: parsed again, and put again
    }
    if (!REREAD_KINDS.has(file?.kind)) return undefined;
    this.storeHits += 1;
    await this.keep(key, file.kind, serialized, 'memory only');
    return file;
  }

  /** A copy of the entry under `key`, now the most recently used; undefined when there is none. */
  private hit(key: string): ExchangeFile | undefined {
    const known = this.entries.get(key);
    if (!known) return undefined;
    this.hits += 1;
    this.entries.delete(key); // most recently used last
    this.entries.set(key, known);
    return deserialize(known) as ExchangeFile;
  }

  /** Bytes the cache holds (serialized entries). */
  size(): number {
    return this.weight;
  }

  private async keep(key: string, kind: ExchangeFile['kind'], serialized: Uint8Array, where: 'store too' | 'memory only'): Promise<void> {
    if (!REREAD_KINDS.has(kind)) return;
    // The store takes what this process cannot keep in memory too, up to what any store reads back.
    if (where === 'store too' && serialized.byteLength <= PARSED_FILES_BUDGET) await this.store?.put(key, serialized);
    if (serialized.byteLength > this.budget) return;
    // Two reads of the same file at once both miss: the second replaces the first, counted once.
    const known = this.entries.get(key);
    if (known) {
      this.entries.delete(key);
      this.weight -= known.byteLength;
    }
    this.entries.set(key, serialized);
    this.weight += serialized.byteLength;
    for (const [oldest, entry] of this.entries) {
      if (this.weight <= this.budget) break;
      this.entries.delete(oldest);
      this.weight -= entry.byteLength;
    }
  }
}

/** The worker's cache: one per process, shared by every step and the night. */
export const parsedFiles = new ParsedFiles();
