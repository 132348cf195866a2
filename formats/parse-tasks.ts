// What a parse thread does (formats/parse-pool.ts runs these off the main thread, in a worker
// with a heap limit): open the file (zip central directory first), detect its kind, hold it to its
// kind's cap, parse. Results travel back by structured clone, so errors travel as data: an
// ExchangeFileError would arrive as a plain Error without its code.
import { serialize } from 'node:v8';
import { openExchangeFile, readExchangeFile, type DetectedKind, type ExchangeFile } from './detect.js';
import { readEleGroupe } from './elegroupe.js';
import { ExchangeFileError, type ExchangeFileErrorCode } from './errors.js';
import { validateHere, type SchemaValidation } from './schema.js';
import { readBeeHeader, type SiecleKind } from './siecle-exports.js';
import { readStsFindings, type StsFindings, type StsKind } from './sts-checked.js';
import type { EleGroupeFile, FileHeader } from './types.js';

export type ParseTask =
  | { op: 'read'; name: string; bytes: Uint8Array }
  | { op: 'read-serialized'; name: string; bytes: Uint8Array }
  | { op: 'detect'; name: string; bytes: Uint8Array }
  | { op: 'siecle-header'; name: string; bytes: Uint8Array; kinds: readonly string[] }
  | { op: 'elegroupe'; name: string; bytes: Uint8Array; schema?: string }
  | { op: 'xsd'; name: string; bytes: Uint8Array; schema: string }
  | { op: 'sts-checked'; name: string; bytes: Uint8Array; kind: StsKind };

export interface ParseFailure {
  file: string;
  code: ExchangeFileErrorCode;
  message: string;
  line?: number;
}

/**
 * An élève-groupe file opened and read: its XML's name, its content (and the same as v8.serialize
 * bytes of `{ kind: 'elegroupe', data }`, the form the worker's cache keeps), or why the reader
 * refused it; with `schema` asked, the XSD's verdict on its XML too, from the same thread (the
 * XML does not travel to the main thread and back).
 */
export type ElegroupeParse = { xmlName: string; parsed?: EleGroupeFile; serialized?: Uint8Array; error?: string; schema?: SchemaValidation };

/** An error as data (structured clone would lose an ExchangeFileError's code). */
export type ErrorAsData = { exchange?: ParseFailure; other?: string };

/** StsFindings with the reader's error as data. */
export type StsFindingsAnswer = Omit<StsFindings, 'error' | 'data'> & { error?: ErrorAsData };

function errorAsData(error: unknown): ErrorAsData {
  if (error instanceof ExchangeFileError) return { exchange: { file: error.file, code: error.code, message: error.message, ...(error.line !== undefined && { line: error.line }) } };
  return { other: error instanceof Error ? error.message : String(error) };
}

export type ParseAnswer =
  | { ok: true; value: unknown }
  | { ok: false; exchange?: ParseFailure; other?: string };

async function perform(task: ParseTask): Promise<unknown> {
  switch (task.op) {
    case 'read': return readExchangeFile(task.name, task.bytes) satisfies Promise<ExchangeFile>;
    // The same, as v8.serialize bytes: the worker's cache keeps those (steps/parsed-files.ts).
    case 'read-serialized': return serialize(await readExchangeFile(task.name, task.bytes) satisfies ExchangeFile);
    case 'detect': return (await openExchangeFile(task.name, task.bytes)).kind satisfies DetectedKind;
    case 'siecle-header': {
      const { kind, xml } = await openExchangeFile(task.name, task.bytes);
      // The caller judges the kind (a file of another kind is its own message).
      if (!task.kinds.includes(kind)) return { kind };
      return { kind, header: readBeeHeader(task.name, xml.data, kind as SiecleKind) satisfies FileHeader };
    }
    case 'xsd': return validateHere(task.name, task.bytes, task.schema) satisfies Promise<SchemaValidation>;
    case 'sts-checked': {
      // The content travels serialized (the cache's own form): the main thread deserializes it
      // once and keeps these bytes, where a structured clone would be undone and then done again.
      const { error, data, ...findings } = await readStsFindings(task.name, task.bytes, task.kind);
      return {
        ...findings,
        ...(data !== undefined && { serialized: serialize({ kind: task.kind, data }) }),
        ...(error !== undefined && { error: errorAsData(error) }),
      } satisfies StsFindingsAnswer;
    }
    case 'elegroupe': {
      const { xml } = await openExchangeFile(task.name, task.bytes);
      const schema = task.schema === undefined ? undefined : await validateHere(xml.name, xml.data, task.schema);
      const checked = { xmlName: xml.name, ...(schema && { schema }) };
      try {
        const parsed = readEleGroupe(task.name, xml.data);
        // Sent serialized only: the main thread deserializes it once and keeps these bytes.
        return { ...checked, serialized: serialize({ kind: 'elegroupe', data: parsed }) } satisfies ElegroupeParse;
      } catch (error) {
        if (!(error instanceof ExchangeFileError)) throw error;
        return { ...checked, error: error.message } satisfies ElegroupeParse;
      }
    }
  }
}

export default async function run(task: ParseTask): Promise<ParseAnswer> {
  try {
    return { ok: true, value: await perform(task) };
  } catch (error) {
    return { ok: false, ...errorAsData(error) };
  }
}
