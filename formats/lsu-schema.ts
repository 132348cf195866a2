// Validation of an LSU bilans file ON DISK against the XSD of its schemaVersion, whatever its size
// up to LSU's 100 Mo. Which validator runs (README "LSU: XSD validation of every file"):
//   1. libxml2's streaming validator (`xmllint --stream`, Debian's libxml2-utils) when it is on the
//      machine: constant memory, the fastest we measured, and the same library family LSU's own
//      import is most likely to use;
//   2. else xmllint-wasm (libxml2 in WebAssembly, from npm) in its streaming mode, for files up to
//      WASM_MAX_BYTES: it holds the file three times (our read, its worker's copy, its in-memory
//      file system), measured 244 MB peak RSS for a 40 MB file and 442 MB for 98 MB;
//   3. else the file is NOT validated, and the caller reports it (never a silent accept).
// The prolog is checked first (no DOCTYPE or ENTITY, no UTF-16): no validator ever sees a file the
// project refuses to parse.
import { open, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { ExchangeFileError } from './errors.js';
import { lsuSchemaInfo } from './lsu-versions.js';
import { asUtf8, lsuRootLine, lsuSchemaVersionOf, unknownLsuVersion, xsd, xsdPath } from './schema.js';
import { declaredEncoding } from './xml.js';
import {
  runXmllintStream, SchemaValidatorFailure, ViolationCollector, xmllintAvailable, xmllintCommand, type SchemaViolation,
} from './xmllint-stream.js';

/** Above this size, xmllint-wasm is not used (memory: see the header). */
export const WASM_MAX_BYTES = 40 * 1024 * 1024;
/** Violations kept per file; the others are counted. */
export const MAX_KEPT_VIOLATIONS = 20;
/** A 98 MB file takes 2 to 10 s depending on the machine's load; beyond this, something is wrong. */
export const VALIDATION_TIMEOUT_MS = 4 * 60 * 1000;

export type LsuValidator = 'libxml2' | 'xmllint-wasm';

export type LsuFileValidation =
  | { status: 'valid'; validator: LsuValidator; schemaVersion: string; ms: number }
  | { status: 'invalid'; validator: LsuValidator | 'schemaVersion'; schemaVersion?: string; violations: SchemaViolation[]; more: number; ms: number }
  | { status: 'not-validated'; reason: string };

export interface LsuValidationOptions {
  /** xmllint binary; default xmllintCommand() (SYNCHRO_XMLLINT, else the PATH); undefined: none. */
  xmllint?: string | undefined;
  wasmMaxBytes?: number;
  maxErrors?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Which validator a file of `size` bytes gets on this machine (undefined: none can). */
export async function lsuValidatorFor(size: number, options: Pick<LsuValidationOptions, 'xmllint' | 'wasmMaxBytes'> = {}): Promise<LsuValidator | undefined> {
  const command = 'xmllint' in options ? options.xmllint : xmllintCommand();
  if (await xmllintAvailable(command)) return 'libxml2';
  return size <= (options.wasmMaxBytes ?? WASM_MAX_BYTES) ? 'xmllint-wasm' : undefined;
}

/** The first 64 Kio of a file. */
export async function readHead(path: string, length = 64 * 1024): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Refuses, from the file's first bytes, what no validator may see: a DOCTYPE or ENTITY declaration
 * before the root (how entity expansion attacks get in; saxes refuses them too, but xmllint runs
 * beside it), UTF-16/32 (LSU files are UTF-8; our reader could not read them either), and a
 * prolog so long that the root is not within the first 64 Kio.
 */
export function assertLsuProlog(file: string, head: Buffer): void {
  const body = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
  if (body.subarray(0, 4).includes(0)) throw new ExchangeFileError(file, 'encoding', 'fichier en UTF-16 ou UTF-32 : les fichiers LSU sont en UTF-8.');
  const text = body.toString('latin1'); // ASCII-compatible: enough to find markup in UTF-8 or ISO-8859-x
  const root = /<[A-Za-z_]/.exec(text);
  const prolog = root ? text.slice(0, root.index) : text;
  const found = /<!(DOCTYPE|ENTITY)/i.exec(prolog);
  if (found) {
    throw new ExchangeFileError(file, 'doctype', 'déclaration DOCTYPE ou ENTITY refusée (les fichiers LSU n\'en contiennent jamais).', prolog.slice(0, found.index).split('\n').length);
  }
  if (!root && head.length >= 64 * 1024) throw new ExchangeFileError(file, 'malformed', 'aucun élément dans les 64 premiers Kio du fichier (prologue anormalement long).');
}

/**
 * Validates the LSU file at `path` against the XSD of the schemaVersion its root declares. Throws
 * SchemaValidatorFailure when the validator itself fails (timeout, crash, schema not compiled): an
 * infrastructure problem, not a verdict on the file. Call assertLsuProlog first.
 */
export async function validateLsuBilansFile(path: string, size: number, head: Buffer, options: LsuValidationOptions = {}): Promise<LsuFileValidation> {
  const started = performance.now();
  const version = lsuSchemaVersionOf(head);
  const info = version === undefined ? undefined : lsuSchemaInfo(version);
  if (!info || version === undefined) {
    return { status: 'invalid', validator: 'schemaVersion', ...(version !== undefined && { schemaVersion: version }), violations: [{ line: lsuRootLine(head), ...unknownLsuVersion(version) }], more: 0, ms: 0 };
  }
  const validator = await lsuValidatorFor(size, options);
  const maxErrors = options.maxErrors ?? MAX_KEPT_VIOLATIONS;
  if (validator === 'libxml2') {
    const command = 'xmllint' in options ? options.xmllint! : xmllintCommand()!;
    const outcome = await runXmllintStream({
      command, xsdPath: xsdPath(info.xsd), path: resolve(path), maxErrors, timeoutMs: options.timeoutMs ?? VALIDATION_TIMEOUT_MS,
      ...(options.signal && { signal: options.signal }),
    });
    return verdict('libxml2', version, outcome.exitCode, outcome.violations, outcome.more, started);
  }
  if (validator === 'xmllint-wasm') return validateWithWasm(path, version, info.xsd, maxErrors, started);
  const mo = (n: number): string => (n / 1024 / 1024).toFixed(1).replace('.', ',');
  return {
    status: 'not-validated',
    reason: `xmllint (paquet Debian libxml2-utils) est absent de cette machine et le fichier pèse ${mo(size)} Mo, au-delà des ${mo(options.wasmMaxBytes ?? WASM_MAX_BYTES)} Mo que le validateur de secours (xmllint-wasm) valide en mémoire bornée.`,
  };
}

function verdict(validator: LsuValidator, schemaVersion: string, exitCode: number, violations: SchemaViolation[], more: number, started: number): LsuFileValidation {
  const ms = performance.now() - started;
  if (exitCode === 0 && violations.length === 0) return { status: 'valid', validator, schemaVersion, ms };
  if (exitCode === 0 || exitCode === 1 || exitCode === 3 || exitCode === 4) {
    // 1: libxml2 could not read it (not well-formed, encoding): LSU, which parses it too, would refuse it.
    const found: SchemaViolation[] = violations.length > 0 ? violations : [{ ours: true, message: exitCode === 1 ? "libxml2 n'a pas pu lire le fichier (XML mal formé ou encodage non reconnu)." : 'non conforme au schéma (détail non fourni par libxml2).' }];
    return { status: 'invalid', validator, schemaVersion, violations: found, more, ms };
  }
  throw new SchemaValidatorFailure(`validation XSD impossible : ${validator} a fini avec le code ${exitCode} (${exitCode === 5 ? 'schéma non compilé' : 'erreur interne'}).`);
}

async function validateWithWasm(path: string, schemaVersion: string, xsdName: string, maxErrors: number, started: number): Promise<LsuFileValidation> {
  const raw = await readFile(path);
  const encoding = declaredEncoding(raw[0] === 0xef ? raw.subarray(3) : raw);
  // The WebAssembly build has no iconv: another declared encoding is decoded by us first.
  const contents = encoding === undefined || encoding === 'utf-8' || encoding === 'utf8' ? raw : Buffer.from(asUtf8(path, raw), 'utf8');
  const collector = new ViolationCollector('document.xml', maxErrors);
  let exitCode = 0;
  try {
    const result = await validateXML({
      xml: [{ fileName: 'document.xml', contents }], schema: [{ fileName: xsdName, contents: xsd(xsdName) }],
      stream: true, maxMemoryPages: 4096, // 256 MiB of WebAssembly memory: streaming needs far less
    });
    collector.push(result.rawOutput);
    exitCode = result.valid ? 0 : 3;
  } catch (error) {
    exitCode = typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1;
    if (exitCode === -1) throw new SchemaValidatorFailure(`validation XSD impossible (xmllint-wasm) : ${(error as Error).message}`);
  }
  collector.end();
  return verdict('xmllint-wasm', schemaVersion, exitCode, collector.violations, collector.more, started);
}
