// Whole-document parse of an LSU file with fast-xml-parser: the baseline the benchmark compares
// the streaming reader with. Same result types; bilans carry line 0 (no positions in this mode).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ExchangeFileError } from './errors.js';
import {
  type Attrs, emptyReferentials, lsuCycleBilan, lsuDiscipline, lsuPeriod, lsuPeriodicBilan, lsuPupil, lsuSubject, lsuTeacher,
  lsuVieScolaire, vieScolaireHasContent,
} from './lsu-referentials.js';
import type { LsuBilan, LsuHeader, LsuReferentials } from './types.js';
import { assertNoDoctype, decodeXml, FAST_XML_PARSER_OPTIONS } from './xml.js';

type Node = Record<string, unknown>;

const LISTS = new Set(['responsable-etab', 'eleve', 'periode', 'discipline', 'enseignant', 'bilan-periodique', 'acquis', 'bilan-cycle', 'domaine']);

function attrsOf(node: unknown): Attrs {
  const a: Attrs = {};
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) if (k.startsWith('@') && typeof v === 'string') a[k.slice(1)] = v;
  }
  return a;
}

function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && typeof (node as Node)['#text'] === 'string') return (node as Node)['#text'] as string;
  return undefined;
}

function list(parent: unknown, wrapper: string, item: string): unknown[] {
  const w = parent && typeof parent === 'object' ? (parent as Node)[wrapper] : undefined;
  const items = w && typeof w === 'object' ? (w as Node)[item] : undefined;
  return Array.isArray(items) ? items : [];
}

export function parseLsuBilansWhole(
  bytes: Uint8Array,
  file = 'import_lsu.xml',
): { header: LsuHeader; referentials: LsuReferentials; bilans: LsuBilan[]; counts: { periodic: number; cycle: number } } {
  const text = decodeXml(file, bytes);
  assertNoDoctype(file, text);
  const check = XMLValidator.validate(text);
  if (check !== true) {
    throw new ExchangeFileError(file, 'malformed', `XML mal formé (${check.err.msg}).`, check.err.line);
  }
  const doc = new XMLParser({ ...FAST_XML_PARSER_OPTIONS, isArray: (name) => LISTS.has(name) }).parse(text) as Node;
  const root = doc['lsun-bilans'] as Node | undefined;
  if (!root) throw new ExchangeFileError(file, 'wrong-root', 'racine <lsun-bilans> attendue.');
  const entete = (root.entete ?? {}) as Node;
  const donnees = root.donnees as Node | undefined;
  const referentials = emptyReferentials();
  for (const n of list(donnees, 'eleves', 'eleve')) { const p = lsuPupil(attrsOf(n)); referentials.pupils.set(p.ref, p); }
  for (const n of list(donnees, 'periodes', 'periode')) { const p = lsuPeriod(attrsOf(n)); referentials.periods.set(p.ref, p); }
  for (const n of list(donnees, 'disciplines', 'discipline')) { const d = lsuDiscipline(attrsOf(n)); referentials.disciplines.set(d.ref, d); }
  for (const n of list(donnees, 'enseignants', 'enseignant')) { const t = lsuTeacher(attrsOf(n)); referentials.teachers.set(t.ref, t); }

  const bilans: LsuBilan[] = [];
  for (const n of list(donnees, 'bilans-periodiques', 'bilan-periodique')) {
    const node = n as Node;
    const b = lsuPeriodicBilan(attrsOf(node), 0);
    b.subjects = list(node, 'liste-acquis', 'acquis').map((acq) => {
      const s = lsuSubject(attrsOf(acq));
      const appraisal = textOf((acq as Node).appreciation);
      return appraisal === undefined ? s : { ...s, appraisal };
    });
    const general = textOf(node['acquis-conseils']);
    if (general !== undefined) b.generalAppraisal = general;
    b.hasGeneralAppraisal = (general?.trim() ?? '') !== '';
    if (node['vie-scolaire'] !== undefined) {
      b.vieScolaire = lsuVieScolaire(attrsOf(node['vie-scolaire']));
      const comment = textOf((node['vie-scolaire'] as Node).commentaire);
      if (comment !== undefined) b.vieScolaire.comment = comment;
      b.hasVieScolaire = vieScolaireHasContent(b.vieScolaire);
    }
    bilans.push(b);
  }
  for (const n of list(donnees, 'bilans-cycle', 'bilan-cycle')) {
    const b = lsuCycleBilan(attrsOf(n), 0);
    const domains = list(n, 'socle', 'domaine').map((d) => attrsOf(d));
    if (domains.length > 0) b.socle = domains.map((d) => ({ code: d.code ?? '', positioning: Number(d.positionnement) }));
    bilans.push(b);
  }
  const firstPeriod = referentials.periods.values().next().value;
  const schemaVersion = attrsOf(root).schemaVersion ?? '';
  const header: LsuHeader = {
    kind: 'lsu-bilans', uai: textOf(entete.etablissement)?.trim() ?? '', millesime: firstPeriod?.millesime ?? 0,
    schemaVersion, version: schemaVersion,
  };
  for (const [key, tag] of [['editor', 'editeur'], ['application', 'application'], ['applicationVersion', 'appliVersion']] as const) {
    const v = textOf(entete[tag]);
    if (v !== undefined) header[key] = v.trim();
  }
  const periodic = bilans.filter((b) => b.kind === 'periodic').length;
  return { header, referentials, bilans, counts: { periodic, cycle: bilans.length - periodic } };
}
