// Synchro 2, SIECLE → PRONOTE: SIECLE's exports (ExportXML_<Name>.zip, the newest of each) go to
// PRONOTE together. What travels is a manifest of their sha256s: the step's input is the set, so
// a new export of any of them is a new deposit, the same set again is not.
import type { Anomaly } from '../rules/anomaly';
import { expectedName } from './official-names';
import { checkStamp, depositOnce, readFound, readSiecleHeaderAs, rejectIfBlocking, siecleExports, storeFound, type StepHandler } from './context';

/** What PRONOTE needs to build its base (ASSUMED: the other exports are optional for its import). */
const REQUIRED: { export: string; matches: RegExp }[] = [
  { export: 'ElevesSansAdresses', matches: /^ExportXML_Eleves(Sans|Avec)Adresses\.zip$/i },
  { export: 'Structures', matches: /^ExportXML_Structures\.zip$/i },
  { export: 'Nomenclature', matches: /^ExportXML_Nomenclature\.zip$/i },
  { export: 'Communs', matches: /^ExportXML_Communs\.zip$/i },
];

const SIECLE_KINDS = [
  'siecle-eleves', 'siecle-structures', 'siecle-nomenclature', 'siecle-communs', 'siecle-responsables', 'siecle-etablissements', 'siecle-geographique',
] as const;

export const sieclePronote: StepHandler = async (ctx) => {
  const exports = await siecleExports(ctx.inbox);
  const missing = REQUIRED.find((r) => !exports.some((f) => r.matches.test(f.name)));
  if (missing) return { kind: 'waiting-file', expected: expectedName.siecleExport(missing.export) };
  const anomalies: Anomaly[] = [];
  const manifest: { name: string; sha256: string }[] = [];
  const outbox: { name: string; bytes: Buffer }[] = [];
  for (const found of exports.sort((a, b) => a.name.localeCompare(b.name))) {
    const bytes = await readFound(found);
    // The stamp is what this step checks; PRONOTE reads the rest (a lycée's pupils export is tenths
    // of a second to parse whole, for every school of the académie).
    const header = await readSiecleHeaderAs(found.name, bytes, SIECLE_KINDS);
    const { ref } = await storeFound(ctx, found, header.kind, bytes);
    anomalies.push(...checkStamp(found.name, header, ctx.request, 'siecle'));
    manifest.push({ name: found.name, sha256: ref.sha256 });
    outbox.push({ name: found.name, bytes });
  }
  rejectIfBlocking('SIECLE → PRONOTE refusé', anomalies);
  const input = await ctx.env.store.put(`ExportXML_${ctx.request.uai}_${ctx.request.millesime}.manifest.json`, Buffer.from(JSON.stringify({ files: manifest })));
  const deposited = await depositOnce(ctx, 'pronote', input.sha256, outbox);
  return { kind: 'done', input, anomalies, deposited };
};
