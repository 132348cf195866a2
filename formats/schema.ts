// XSD validation with xmllint (WebAssembly build): the élève-groupe file against our copy of the
// official 1.4 schema (CODE_GROUPE relaxed, see formats/xsd/README.md), LSU files against the
// schema of their schemaVersion. The XSDs live in formats/xsd so that the project works alone.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { LSU_LATEST_SCHEMA_VERSION, lsuSchemaInfo } from './lsu-versions.js';
import { assertNoDoctype, decodeXml } from './xml.js';
import { validateInParseThread } from './parse-pool.js';
import type { SchemaViolation } from './xmllint-stream.js';

export type { SchemaViolation } from './xmllint-stream.js';

export interface SchemaValidation {
  valid: boolean;
  errors: SchemaViolation[];
}

const XSD_DIR = join(dirname(fileURLToPath(import.meta.url)), 'xsd');
export const ELEGROUPE_XSD = 'schema_Import_EleGroupes_1.4.relaxed.xsd';

/** Absolute path of one of our XSDs (what the xmllint child process reads). */
export function xsdPath(name: string): string {
  return join(XSD_DIR, name);
}

const xsdCache = new Map<string, string>();
export function xsd(name: string): string {
  let text = xsdCache.get(name);
  if (text === undefined) {
    text = readFileSync(join(XSD_DIR, name), 'utf8');
    xsdCache.set(name, text);
  }
  return text;
}

const xsdBytesCache = new Map<string, Uint8Array>();
function xsdBytes(name: string): Uint8Array {
  let bytes = xsdBytesCache.get(name);
  if (bytes === undefined) {
    bytes = Buffer.from(xsd(name), 'utf8');
    xsdBytesCache.set(name, bytes);
  }
  return bytes;
}

/**
 * xmllint-wasm reads UTF-8 only: decode with our own rules (ISO-8859-15 files included) and hand
 * it UTF-8 with the declaration rewritten on the same line, so line numbers are unchanged.
 */
export function asUtf8(file: string, bytes: Uint8Array): string {
  const text = decodeXml(file, bytes);
  assertNoDoctype(file, text);
  return text.replace(/^(\s*<\?xml[^?]*?encoding\s*=\s*["'])[^"']+(["'])/, '$1UTF-8$2');
}

async function validate(file: string, bytes: Uint8Array, schemaName: string): Promise<SchemaValidation> {
  const result = await validateXML({
    xml: [{ fileName: 'document.xml', contents: asUtf8(file, bytes) }],
    schema: [{ fileName: schemaName, contents: xsd(schemaName) }],
    maxMemoryPages: 16 * 1024, // 1 GiB: a 100 MB LSU file must fit
  });
  const errors = result.errors.map((e): SchemaViolation => ({
    ...(e.loc && { line: e.loc.lineNumber }),
    message: e.message.trim(),
  }));
  return { valid: result.valid && errors.length === 0, errors };
}

/**
 * Validates an élève-groupe XML (bytes of the .xml, any declared encoding), in a parse thread
 * with xmllint compiled once (formats/xmllint-in-thread.ts): the same verdict and messages as the
 * WebAssembly build through validateXML, at a tenth of the cost.
 */
export function validateEleGroupe(file: string, bytes: Uint8Array): Promise<SchemaValidation> {
  return validateInParseThread(file, bytes, ELEGROUPE_XSD);
}

/** xmllint-wasm's reading of xmllint's stderr (index-node.js parseErrors), kept to the letter. */
function violationsOf(stderr: string): SchemaViolation[] {
  return stderr.split('\n').slice(0, -2)
    .map((line) => {
      const [fileName, lineNumber, ...rest] = line.split(':');
      return fileName && lineNumber && rest.length ? { line: Number.parseInt(lineNumber, 10), message: rest.join(':').trim(), raw: line } : { message: line, raw: line };
    })
    .filter((e) => e.line !== undefined || !e.raw.trim().endsWith(' validates'))
    .map((e): SchemaViolation => ({ ...(e.line !== undefined && { line: e.line }), message: e.message.trim() }));
}

/** What validateEleGroupe does, in the thread that calls it: for parse threads (formats/parse-tasks.ts) only. */
export async function validateHere(file: string, bytes: Uint8Array, schemaName: string): Promise<SchemaValidation> {
  const { runXmllintInThread } = await import('./xmllint-in-thread.js');
  const { exitCode, stderr } = await runXmllintInThread(
    // As UTF-8 bytes: a string would be encoded by the Emscripten runtime's own JavaScript loop,
    // made anew (and optimized again) at every run.
    [{ fileName: 'document.xml', contents: Buffer.from(asUtf8(file, bytes), 'utf8') }, { fileName: schemaName, contents: xsdBytes(schemaName) }],
    ['--schema', schemaName, '--noout', 'document.xml'],
    16 * 1024,
  );
  // validateXML: 0 valid, 3 or 4 invalid, anything else an error carrying xmllint's output.
  if (exitCode === 0) return { valid: true, errors: [] };
  if (exitCode === 3 || exitCode === 4) {
    return { valid: false, errors: violationsOf(stderr) };
  }
  throw Object.assign(new Error(stderr), { code: exitCode });
}

/** The schemaVersion attribute of an LSU document, read from its first kilobytes. */
export function lsuSchemaVersionOf(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 64 * 1024)).toString('latin1');
  return /<(?:\w+:)?lsun-bilans\b[^>]*?\bschemaVersion\s*=\s*["']([^"']*)["']/.exec(head)?.[1];
}

/** The line of the root element <lsun-bilans> in the file's first bytes (1 when not found). */
export function lsuRootLine(bytes: Uint8Array): number {
  const head = Buffer.from(bytes.subarray(0, 64 * 1024)).toString('latin1');
  const at = /<(?:\w+:)?lsun-bilans\b/.exec(head)?.index;
  return at === undefined ? 1 : head.slice(0, at).split('\n').length;
}

/** LSU's refusal of a schemaVersion we hold no XSD for (or of its absence), as a violation. */
export function unknownLsuVersion(version: string | undefined): SchemaViolation {
  return {
    element: 'lsun-bilans', attribute: 'schemaVersion', ours: true,
    message: version === undefined
      ? 'attribut schemaVersion absent de <lsun-bilans>.'
      : `schemaVersion « ${version} » inconnue (versions connues jusqu'à ${LSU_LATEST_SCHEMA_VERSION}).`,
  };
}

/**
 * Validates an LSU file against the schema of its schemaVersion (or of `schemaVersion` when
 * given). An unknown version is itself a violation: LSU refuses it.
 */
export async function validateLsuBilans(file: string, bytes: Uint8Array, schemaVersion?: string): Promise<SchemaValidation> {
  const version = schemaVersion ?? lsuSchemaVersionOf(bytes);
  const info = version === undefined ? undefined : lsuSchemaInfo(version);
  if (!info) return { valid: false, errors: [{ line: lsuRootLine(bytes), message: unknownLsuVersion(version).message }] };
  return validate(file, bytes, info.xsd);
}
