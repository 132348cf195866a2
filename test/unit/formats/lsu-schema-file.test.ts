// LSU files validated on disk against the XSD of their schemaVersion (formats/lsu-schema.ts): with
// libxml2's streaming validator (Debian's xmllint, which .ci/run installs) and with its fallback
// (xmllint-wasm), on Gepi's real 2020-02-20 sample (schemaVersion 2.0, CRLF lines) and copies of
// it with faults at known lines.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../../checks/check-file.js';
import { assertLsuProlog, readHead, validateLsuBilansFile, type LsuValidationOptions } from '../../../formats/lsu-schema.js';
import { parseXmllintLine, runXmllintStream, SchemaValidatorFailure, xmllintAvailable, xmllintCommand } from '../../../formats/xmllint-stream.js';
import { xsdPath } from '../../../formats/schema.js';
import { lsuSchemaAnomalies } from '../../../rules/lsu-schema.js';
import { readSharedFormat } from '../../support/shared-formats.js';

const SAMPLE = readSharedFormat('lsu', 'gepi', '2020-02-20_sample-bilan-complet.xml').toString('utf8');
const LINES = SAMPLE.split('\n');
/** Line numbers (1-based) of the sample's first lines starting with `<tag `. */
const lineOf = (tag: string, nth = 0): number => LINES.map((l, i) => (l.trimStart().startsWith(`<${tag} `) ? i + 1 : 0)).filter(Boolean)[nth]!;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'synchro-lsu-xsd-'));
  // The machine must have libxml2's validator: CI installs it; without it these tests would only test the fallback.
  expect(await xmllintAvailable(xmllintCommand()), 'xmllint (libxml2-utils) doit être installé').toBe(true);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The sample with `edit` applied to the given 1-based lines, written to a file. */
async function variant(name: string, edits: Record<number, (line: string) => string> = {}, text = SAMPLE): Promise<{ path: string; size: number; head: Buffer }> {
  const lines = text.split('\n').map((l, i) => edits[i + 1]?.(l) ?? l);
  const path = join(dir, name);
  const bytes = Buffer.from(lines.join('\n'), 'utf8');
  await writeFile(path, bytes);
  return { path, size: bytes.length, head: await readHead(path) };
}

async function validate(file: { path: string; size: number; head: Buffer }, options: LsuValidationOptions = {}) {
  return validateLsuBilansFile(file.path, file.size, file.head, options);
}

const NO_XMLLINT: LsuValidationOptions = { xmllint: undefined };

describe('LSU file XSD validation, libxml2 streaming (xmllint --stream)', () => {
  it("accepts Gepi's real sample against the 2.0-3.0 schema", async () => {
    const result = await validate(await variant('valid.xml'));
    expect(result).toMatchObject({ status: 'valid', validator: 'libxml2', schemaVersion: '2.0' });
  });

  it('names the line and the element of an element the XSD forbids', async () => {
    const at = lineOf('bilan-periodique');
    const result = await validate(await variant('intrus.xml', { [at]: (l) => l.replace('<bilan-periodique ', '<intrus/><bilan-periodique ') }));
    expect(result.status).toBe('invalid');
    if (result.status !== 'invalid') return;
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({ line: at, element: 'intrus' });
    const [anomaly] = lsuSchemaAnomalies('intrus.xml', result);
    expect(anomaly).toMatchObject({ code: 'LSU_SCHEMA', level: 'blocking', subject: { file: 'intrus.xml', line: at } });
    expect(anomaly!.message).toBe(`Le fichier est rejeté, aucun bilan n'est importé : ligne ${at}, élément <intrus> : élément inattendu à cet endroit (attendu : bilan-periodique) (schéma LSU 2.0).`);
  });

  it('reports several violations, each at its own line, and counts those beyond the cap', async () => {
    const pupils = [lineOf('eleve', 0), lineOf('eleve', 2), lineOf('discipline', 1), lineOf('discipline', 3)];
    const edits = Object.fromEntries(pupils.map((n) => [n, (l: string) => l.replace(/ \/>/, ' bidon="1" />')]));
    const file = await variant('several.xml', edits);
    const all = await validate(file);
    expect(all.status === 'invalid' && all.violations.map((v) => [v.line, v.element, v.attribute])).toEqual(pupils.map((n, i) => [n, i < 2 ? 'eleve' : 'discipline', 'bidon']));
    const capped = await validate(file, { maxErrors: 2 });
    expect(capped).toMatchObject({ status: 'invalid', more: 2 });
    const anomalies = lsuSchemaAnomalies('several.xml', capped);
    expect(anomalies).toHaveLength(3);
    expect(anomalies[0]!.message).toContain('attribut « bidon » : attribut non autorisé');
    expect(anomalies[2]!.message).toBe('Le fichier est rejeté : 2 autres écarts au schéma après 2 ci-dessus (non détaillés).');
  });

  it('refuses a schemaVersion it holds no XSD for, at the line of the root', async () => {
    const result = await validate(await variant('v8.xml', { 4: (l) => l.replace('schemaVersion="2.0"', 'schemaVersion="8.0"') }));
    expect(result).toMatchObject({ status: 'invalid', validator: 'schemaVersion', violations: [{ line: 2, element: 'lsun-bilans' }] });
    expect(lsuSchemaAnomalies('v8.xml', result)[0]!.message).toContain("schemaVersion « 8.0 » inconnue (versions connues jusqu'à 10.0)");
  });

  it('reads the declared encoding itself (ISO-8859-15), with the same line numbers', async () => {
    const latin = SAMPLE.replace('encoding="UTF-8"', 'encoding="ISO-8859-15"').replace(/[^\t\n\r\u0020-\u00ff€]/g, '?');
    const at = lineOf('bilan-periodique');
    const lines = latin.split('\n');
    lines[at - 1] = lines[at - 1]!.replace('<bilan-periodique ', '<intrus/><bilan-periodique ');
    const path = join(dir, 'latin9.xml');
    await writeFile(path, iconv.encode(lines.join('\n'), 'iso-8859-15'));
    const file = { path, size: (await readFile(path)).length, head: await readHead(path) };
    for (const options of [{}, NO_XMLLINT]) {
      const result = await validate(file, options);
      expect(result).toMatchObject({ status: 'invalid', validator: 'xmllint' in options ? 'xmllint-wasm' : 'libxml2', violations: [{ line: at, element: 'intrus' }] });
    }
  });

  it('parses both of xmllint\'s line formats and keeps nothing else of its output', () => {
    expect(parseXmllintLine('/f.xml', "/f.xml:12: element intrus: Schemas validity error : Element '{urn:x}intrus': This element is not expected.")).toEqual({ line: 12, element: 'intrus', message: 'This element is not expected.' });
    expect(parseXmllintLine('/f.xml', "/f.xml:7: Schemas validity error : Element '{urn:x}eleve', attribute 'bidon': The attribute 'bidon' is not allowed.")).toEqual({ line: 7, element: 'eleve', attribute: 'bidon', message: "The attribute 'bidon' is not allowed." });
    expect(parseXmllintLine('/f.xml', '/f.xml validates')).toBeUndefined();
    expect(parseXmllintLine('/f.xml', '            <eleve nom="Grenelle" />')).toBeUndefined();
  });

  it('fails as infrastructure (not as a verdict on the file) when the validator times out', async () => {
    const file = await variant('timeout.xml');
    await expect(runXmllintStream({ command: xmllintCommand()!, xsdPath: xsdPath('lsun-bilans_2.0-3.0_2020-02-20.xsd'), path: file.path, timeoutMs: 1, maxErrors: 5 }))
      .rejects.toBeInstanceOf(SchemaValidatorFailure);
  });
});

describe('LSU file XSD validation without xmllint on the machine', () => {
  it('SYNCHRO_XMLLINT=none acts as if xmllint were absent', async () => {
    expect(xmllintCommand({ SYNCHRO_XMLLINT: 'none' })).toBeUndefined();
    expect(xmllintCommand({})).toBe('xmllint');
    expect(await xmllintAvailable('/nonexistent/xmllint')).toBe(false);
  });

  it('validates a file it can hold with xmllint-wasm, same line and element', async () => {
    const at = lineOf('bilan-periodique');
    expect(await validate(await variant('wasm-valid.xml'), NO_XMLLINT)).toMatchObject({ status: 'valid', validator: 'xmllint-wasm' });
    const result = await validate(await variant('wasm-intrus.xml', { [at]: (l) => l.replace('<bilan-periodique ', '<intrus/><bilan-periodique ') }), NO_XMLLINT);
    expect(result).toMatchObject({ status: 'invalid', validator: 'xmllint-wasm', violations: [{ line: at, element: 'intrus' }] });
  });

  it('above what xmllint-wasm may hold, says the file was not validated and why: Bloquant', async () => {
    const file = await variant('too-big-for-wasm.xml');
    const result = await validate(file, { ...NO_XMLLINT, wasmMaxBytes: 1024 });
    expect(result.status).toBe('not-validated');
    const [anomaly] = lsuSchemaAnomalies('too-big-for-wasm.xml', result);
    expect(anomaly).toMatchObject({ code: 'LSU_XSD_NON_VERIFIE', level: 'blocking' });
    expect(anomaly!.message).toMatch(/^Le fichier n'a pas pu être validé contre son schéma XSD : xmllint \(paquet Debian libxml2-utils\) est absent de cette machine et le fichier pèse 0,0 Mo, au-delà des 0,0 Mo/);
  });
});

describe('synchro check of an LSU file (checks/check-file.ts)', () => {
  it('rejects a file that breaks its XSD, naming the line and the element; accepts the valid one as far as the XSD goes', async () => {
    const at = lineOf('bilan-periodique', 1);
    const bad = await variant('import_lsu_intrus.xml', { [at]: (l) => l.replace('<bilan-periodique ', '<intrus/><bilan-periodique ') });
    const rejected = await checkFile(bad.path, { on: '2020-01-15' });
    expect(rejected.verdict).toBe('rejected');
    expect(rejected.anomalies.filter((a) => a.code === 'LSU_SCHEMA').map((a) => a.subject?.line)).toEqual([at]);
    expect(rejected.lsu?.periodic.imported).toBe(0);
    const good = await checkFile((await variant('import_lsu_ok.xml')).path, { on: '2020-01-15' });
    expect(good.anomalies.filter((a) => a.level === 'blocking')).toEqual([]);
  });

  it('adds the XSD rules libxml2 does not check: ids unique, every reference naming an id', async () => {
    // libxml2 (streaming or not) accepts both files below: checked by the reader (formats/lsu-idrefs.ts).
    const second = lineOf('eleve', 1);
    const duplicate = await variant('import_lsu_dup.xml', { [second]: (l) => l.replace('id="EL_02"', 'id="EL_01"') });
    expect(await validate(duplicate)).toMatchObject({ status: 'valid' });
    const dup = await checkFile(duplicate.path, { on: '2020-01-15' });
    expect(dup.verdict).toBe('rejected');
    expect(dup.anomalies.filter((a) => a.code === 'LSU_SCHEMA').map((a) => a.message)).toContain(
      `Le fichier est rejeté, aucun bilan n'est importé : ligne ${second}, élément <eleve>, attribut « id » : identifiant « EL_01 » déjà utilisé ligne ${lineOf('eleve', 0)} (un identifiant est unique dans le fichier) (schéma LSU 2.0).`);

    const text = SAMPLE.replace('eleve-ref="EL_02"', 'eleve-ref="EL_99"');
    const endOfTag = text.indexOf('>', text.indexOf('eleve-ref="EL_99"'));
    const dangling = await variant('import_lsu_ref.xml', {}, text);
    expect(await validate(dangling)).toMatchObject({ status: 'valid' });
    const ref = await checkFile(dangling.path, { on: '2020-01-15' });
    expect(ref.anomalies.filter((a) => a.code === 'LSU_SCHEMA').map((a) => [a.subject?.line, a.message.replace(/^.*: /, '')]))
      .toEqual([[text.slice(0, endOfTag).split('\n').length, 'référence « EL_99 » à un identifiant absent du fichier (schéma LSU 2.0).']]);
  });

  it('refuses a DOCTYPE before any validator sees the file', async () => {
    const withDoctype = SAMPLE.replace('<lsun-bilans', '<!DOCTYPE lsun-bilans [<!ENTITY e "x">]>\n<lsun-bilans');
    const file = await variant('import_lsu_doctype.xml', {}, withDoctype);
    expect(() => assertLsuProlog('doctype.xml', file.head)).toThrow(/DOCTYPE ou ENTITY refusée/);
    const result = await checkFile(file.path, { on: '2020-01-15' });
    expect(result.verdict).toBe('rejected');
    expect(result.anomalies.map((a) => a.message)).toEqual([expect.stringContaining('DOCTYPE ou ENTITY refusée')]);
  });

});
