// Parsing off the main thread: a pool of worker threads (piscina), each with a V8 heap limit, so
// that a file that would take more memory than allowed kills its thread (out of memory), never the
// process (a Temporal worker carrying an académie, or the CLI). The pool uses every core: one
// worker process parses as many files at once as the machine has cores, while its main thread
// keeps Temporal, the database and the event loop responsive.
//
// A crashed or too-slow thread is the file's doing (every read is bounded before it starts, see
// formats/limits.ts): it is reported as an ExchangeFileError naming the file ('parse-crashed'),
// which the steps turn into a Bloquant and a non-retryable failure, not an endless retry.
import { availableParallelism } from 'node:os';
import { deserialize } from 'node:v8';
import { Piscina } from 'piscina';
import type { DetectedKind, ExchangeFile } from './detect.js';
import { ExchangeFileError } from './errors.js';
import type { ElegroupeParse, ErrorAsData, ParseAnswer, ParseTask, StsFindingsAnswer } from './parse-tasks.js';
import type { StsFindings, StsKind } from './sts-checked.js';
import type { SchemaValidation } from './schema.js';
import type { EleGroupeFile, FileHeader } from './types.js';

/** Heap of one parse thread: the largest accepted tree (600,000 elements, about 60 Mo) with the text and bytes beside it, and room. */
export const PARSE_HEAP_MB = 320;
/** A parse that takes longer is stopped (the thread is ended): 20 times the largest real file. */
export const PARSE_TIMEOUT_MS = 60_000;

let pool: Piscina | undefined;
let heapMb = PARSE_HEAP_MB;

function poolOf(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./parse-thread.js', import.meta.url).href,
    maxThreads: Math.max(1, availableParallelism()),
    minThreads: 0,
    idleTimeout: 5_000,
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(32, Math.ceil(heapMb / 4)) },
  });
  return pool;
}

/** Another heap limit for the threads to come (tests make a thread run out of memory on purpose). */
export async function configureParsePool(options: { heapMb?: number }): Promise<void> {
  await closeParsePool();
  heapMb = options.heapMb ?? PARSE_HEAP_MB;
}

/** Ends the pool's threads (tests, and commands that want to exit at once). */
export async function closeParsePool(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.destroy();
}

function crashed(name: string, error: unknown): ExchangeFileError {
  const code = (error as { code?: string }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY' || /memory limit|out of memory/i.test(String((error as Error).message))) {
    return new ExchangeFileError(name, 'parse-crashed', `la lecture du fichier a dépassé la mémoire permise (${heapMb} Mo) et a été arrêtée : fichier refusé.`);
  }
  if ((error as Error).name === 'AbortError' || code === 'ABORT_ERR') {
    return new ExchangeFileError(name, 'parse-crashed', `la lecture du fichier a duré plus de ${PARSE_TIMEOUT_MS / 1000} s et a été arrêtée : fichier refusé.`);
  }
  return new ExchangeFileError(name, 'parse-crashed', `la lecture du fichier a échoué (${(error as Error).message ?? String(error)}) : fichier refusé.`);
}

async function run<T>(task: ParseTask): Promise<T> {
  let answer: ParseAnswer;
  try {
    answer = (await poolOf().run(task, { signal: AbortSignal.timeout(PARSE_TIMEOUT_MS) })) as ParseAnswer;
  } catch (error) {
    throw crashed(task.name, error);
  }
  if (answer.ok) return answer.value as T;
  throw errorFromData(answer);
}

/** The error a parse thread sent as data, as it was thrown there. */
function errorFromData(data: ErrorAsData): Error {
  if (data.exchange) {
    const { file, code, message, line } = data.exchange;
    const error = new ExchangeFileError(file, code, '', line);
    error.message = message;
    return error;
  }
  return new Error(data.other);
}

/** An sts_emp / emp_sts parsed, checked against its DTD and read, in a parse thread (formats/sts-checked.ts). */
export async function readStsInParseThread<K extends StsKind>(name: string, bytes: Uint8Array, kind: K): Promise<StsFindings<K>> {
  const { error, ...findings } = await run<StsFindingsAnswer>({ op: 'sts-checked', name, bytes, kind });
  const data = findings.serialized && (deserialize(findings.serialized) as { data: StsFindings<K>['data'] }).data;
  return { ...findings, ...(data !== undefined && { data }), ...(error && { error: errorFromData(error) }) } as StsFindings<K>;
}

/** An XML file validated against one of formats/xsd's schemas, in a parse thread (formats/schema.ts). */
export function validateInParseThread(name: string, bytes: Uint8Array, schema: string): Promise<SchemaValidation> {
  return run({ op: 'xsd', name, bytes, schema });
}

/** readExchangeFile (formats/detect.ts), in a parse thread. */
export function parseExchangeFile(name: string, bytes: Uint8Array): Promise<ExchangeFile> {
  return run({ op: 'read', name, bytes });
}

/** readExchangeFile in a parse thread, answered as v8.serialize bytes (v8.deserialize gives the ExchangeFile). */
export function parseExchangeFileSerialized(name: string, bytes: Uint8Array): Promise<Uint8Array> {
  return run({ op: 'read-serialized', name, bytes });
}

/** The kind of a file (XML or zip), in a parse thread: opening a zip is part of the cost. */
export function detectFileKind(name: string, bytes: Uint8Array): Promise<DetectedKind> {
  return run({ op: 'detect', name, bytes });
}

/** The header of a SIECLE export if it is of one of `kinds` (else its kind only), in a parse thread. */
export function parseSiecleHeader(name: string, bytes: Uint8Array, kinds: readonly string[]): Promise<{ kind: DetectedKind; header?: FileHeader }> {
  return run({ op: 'siecle-header', name, bytes, kinds });
}

/**
 * An élève-groupe file opened and read in a parse thread: its content, or why it could not be
 * read, and with `schema` (one of formats/xsd's) the XSD's verdict on its XML, validated in the
 * same thread. A file that cannot even be opened (unsafe zip, too big) throws; so does a
 * validation that cannot run.
 */
export async function parseEleGroupe(name: string, bytes: Uint8Array, schema?: string): Promise<ElegroupeParse> {
  const read = await run<ElegroupeParse>({ op: 'elegroupe', name, bytes, ...(schema !== undefined && { schema }) });
  return read.serialized ? { ...read, parsed: (deserialize(read.serialized) as { data: EleGroupeFile }).data } : read;
}
