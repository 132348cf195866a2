// XSD validation with xmllint (WebAssembly build): the élève-groupe file against our copy of the
// official 1.4 schema (CODE_GROUPE relaxed, see formats/xsd/README.md), LSU files against the
// schema of their schemaVersion. The XSDs live in formats/xsd so that the project works alone.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { LSU_LATEST_SCHEMA_VERSION, lsuSchemaInfo } from './lsu-versions.js';
import { assertNoDoctype, decodeXml } from './xml.js';

export interface SchemaViolation {
  line?: number;
  message: string;
}

export interface SchemaValidation {
  valid: boolean;
  errors: SchemaViolation[];
}

const XSD_DIR = join(dirname(fileURLToPath(import.meta.url)), 'xsd');
export const ELEGROUPE_XSD = 'schema_Import_EleGroupes_1.4.relaxed.xsd';

const xsdCache = new Map<string, string>();
function xsd(name: string): string {
  let text = xsdCache.get(name);
  if (text === undefined) {
    text = readFileSync(join(XSD_DIR, name), 'utf8');
    xsdCache.set(name, text);
  }
  return text;
}

/**
 * xmllint-wasm reads UTF-8 only: decode with our own rules (ISO-8859-15 files included) and hand
 * it UTF-8 with the declaration rewritten on the same line, so line numbers are unchanged.
 */
function asUtf8(file: string, bytes: Uint8Array): string {
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

/** Validates an élève-groupe XML (bytes of the .xml, any declared encoding). */
export function validateEleGroupe(file: string, bytes: Uint8Array): Promise<SchemaValidation> {
  return validate(file, bytes, ELEGROUPE_XSD);
}

/** The schemaVersion attribute of an LSU document, read from its first kilobytes. */
export function lsuSchemaVersionOf(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8');
  return /<(?:\w+:)?lsun-bilans\b[^>]*?\bschemaVersion\s*=\s*["']([^"']*)["']/.exec(head)?.[1];
}

/**
 * Validates an LSU file against the schema of its schemaVersion (or of `schemaVersion` when
 * given). An unknown version is itself a violation: LSU refuses it.
 */
export async function validateLsuBilans(file: string, bytes: Uint8Array, schemaVersion?: string): Promise<SchemaValidation> {
  const version = schemaVersion ?? lsuSchemaVersionOf(bytes);
  const info = version === undefined ? undefined : lsuSchemaInfo(version);
  if (!info) {
    const message = version === undefined
      ? 'attribut schemaVersion absent de <lsun-bilans>.'
      : `schemaVersion « ${version} » inconnue (versions connues jusqu'à ${LSU_LATEST_SCHEMA_VERSION}).`;
    return { valid: false, errors: [{ line: 1, message }] };
  }
  return validate(file, bytes, info.xsd);
}
