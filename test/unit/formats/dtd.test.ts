// formats/dtd.ts against libxml2 (`xmllint --dtdvalid`) on the same files: the hand-written
// fixtures of test/fixtures/sts-web and invalid variants of them. Both must agree on valid/invalid;
// ours must name the line and the element. The DTDs are our copies of DTD_STS_EDT.dtd and
// DTD_EDT_STS.dtd (formats/dtd/README.md), identical to ../shared/formats/sts-web.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dtdPath, loadDtd, parseDtd, validateAgainstDtd } from '../../../formats/dtd.js';
import { parseXmlTree, type XmlElement } from '../../../formats/xml.js';
import { readSharedFormat } from '../../support/shared-formats.js';
import { xmllintDtd, xmllintDtdMany } from '../../support/xmllint-dtd.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/sts-web');
const fixture = (path: string): string => readFileSync(join(FIXTURES, path), 'latin1');
const EMP = fixture('metropole/emp_sts_0750680G_2019.xml');
const EMP_NO_YEAR = fixture('metropole-sans-annee/emp_sts_0750680G_2019.xml');
const EMP_NC = fixture('nouvelle-caledonie/emp_sts_9830418M_2019.xml');
const STS = fixture('metropole/sts_emp_0750680G_2019.xml');
/** The sts_emp fixture without the blocks the 2013 DTD does not know (HORAIRES, ALTERNANCES, SALLES_COURS). */
const STS_2013 = STS.replace(/\s*<HORAIRES>[\s\S]*?<\/SALLES_COURS>/, '');

function ours(dtd: 'DTD_EDT_STS.dtd' | 'DTD_STS_EDT.dtd' | 'DTD_STS_EDT.variant-no-contrats.dtd', text: string) {
  const root = dtd === 'DTD_EDT_STS.dtd' ? 'EDT_STS' : 'STS_EDT';
  return validateAgainstDtd(parseXmlTree('document.xml', Buffer.from(text, 'latin1')), loadDtd(dtd), { root });
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`« ${needle} » absent du fixture`);
  return text.slice(0, at).split('\n').length;
}

function swap(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`« ${from} » absent du fixture`);
  return text.replace(from, to);
}

interface Case {
  name: string;
  dtd: 'DTD_EDT_STS.dtd' | 'DTD_STS_EDT.dtd' | 'DTD_STS_EDT.variant-no-contrats.dtd';
  text: string;
  /** For an invalid case: the first violation we must report, line and element. */
  first?: { kind: string; element: string; line: number };
}

const cases: Case[] = [
  { name: 'emp_sts métropole, with ANNEE_SCOLAIRE', dtd: 'DTD_EDT_STS.dtd', text: EMP },
  { name: 'emp_sts métropole, without ANNEE_SCOLAIRE nor SALLES_COURS', dtd: 'DTD_EDT_STS.dtd', text: EMP_NO_YEAR },
  { name: 'emp_sts Nouvelle-Calédonie', dtd: 'DTD_EDT_STS.dtd', text: EMP_NC },
  { name: 'sts_emp without the 2018 blocks', dtd: 'DTD_STS_EDT.dtd', text: STS_2013 },
  {
    name: 'sts_emp without CONTRATS against the older DTD (variant-no-contrats)', dtd: 'DTD_STS_EDT.variant-no-contrats.dtd', text: STS_2013.replace(/\s*<CONTRATS\/>/, ''),
  },
  {
    name: 'sts_emp with CONTRATS against the older DTD', dtd: 'DTD_STS_EDT.variant-no-contrats.dtd', text: STS_2013,
    first: { kind: 'unexpected-element', element: 'CONTRATS', line: lineOf(STS_2013, '<CONTRATS/>') },
  },
  {
    name: 'emp_sts shaped like sts_emp (NOMENCLATURES)', dtd: 'DTD_EDT_STS.dtd', text: swap(EMP, '  <DONNEES>', '  <NOMENCLATURES><MATIERES/></NOMENCLATURES>\n  <DONNEES>'),
    first: { kind: 'unexpected-element', element: 'NOMENCLATURES', line: lineOf(EMP, '  <DONNEES>') },
  },
  {
    name: 'emp_sts with UAJ in the attribute form', dtd: 'DTD_EDT_STS.dtd', text: swap(EMP, '<UAJ>0750680G</UAJ>', '<UAJ CODE="0750680G"/>'),
    first: { kind: 'undeclared-attribute', element: 'UAJ', line: lineOf(EMP, '<UAJ>') },
  },
  {
    name: 'emp_sts COURS without DUREE', dtd: 'DTD_EDT_STS.dtd', text: swap(EMP, '<HEURE_DEBUT>0800</HEURE_DEBUT><DUREE>0100</DUREE>', '<HEURE_DEBUT>0800</HEURE_DEBUT>'),
    first: { kind: 'unexpected-element', element: 'CODE_SALLE', line: lineOf(EMP, '<HEURE_DEBUT>0800</HEURE_DEBUT><DUREE>') },
  },
  {
    name: 'emp_sts COURS ending before DUREE', dtd: 'DTD_EDT_STS.dtd', text: swap(EMP, '<HEURE_DEBUT>1500</HEURE_DEBUT><DUREE>0100</DUREE>', '<HEURE_DEBUT>1500</HEURE_DEBUT>'),
    first: { kind: 'missing-element', element: 'COURS', line: lineOf(EMP, '<HEURE_DEBUT>1500</HEURE_DEBUT>') },
  },
  {
    name: 'emp_sts INDIVIDU with a name', dtd: 'DTD_EDT_STS.dtd', text: swap(EMP, '<INDIVIDU ID="4189"/>', '<INDIVIDU ID="4189"><NOM_USAGE>X</NOM_USAGE></INDIVIDU>'),
    first: { kind: 'unexpected-element', element: 'NOM_USAGE', line: lineOf(EMP, '<INDIVIDU ID="4189"/>') },
  },
  {
    name: 'emp_sts SERVICE without CODE_MATIERE', dtd: 'DTD_EDT_STS.dtd', text: swap(EMP, '<SERVICE CODE_MATIERE="020100" CODE_MOD_COURS="CG">', '<SERVICE CODE_MOD_COURS="CG">'),
    first: { kind: 'missing-attribute', element: 'SERVICE', line: lineOf(EMP, 'CODE_MATIERE="020100"') },
  },
  {
    name: 'emp_sts DIVISION_APPARTENANCE without EFFECTIF_PREVU', dtd: 'DTD_EDT_STS.dtd', text: swap(EMP, '<DIVISION_APPARTENANCE CODE="6 B"><EFFECTIF_PREVU>3</EFFECTIF_PREVU></DIVISION_APPARTENANCE>', '<DIVISION_APPARTENANCE CODE="6 B"/>'),
    first: { kind: 'missing-element', element: 'DIVISION_APPARTENANCE', line: lineOf(EMP, '<DIVISION_APPARTENANCE CODE="6 B">') },
  },
  {
    name: 'emp_sts text inside INDIVIDUS', dtd: 'DTD_EDT_STS.dtd', text: swap(EMP, '<INDIVIDUS>', '<INDIVIDUS>4189'),
    first: { kind: 'text-not-allowed', element: 'INDIVIDUS', line: lineOf(EMP, '<INDIVIDUS>') },
  },
  {
    name: 'emp_sts without HORAIRES', dtd: 'DTD_EDT_STS.dtd', text: EMP_NO_YEAR.replace('    <HORAIRES/>\n', ''),
    first: { kind: 'unexpected-element', element: 'ALTERNANCES', line: lineOf(EMP_NO_YEAR, '<HORAIRES/>') },
  },
  {
    name: 'sts_emp SERVICE without CODE_MOD_COURS', dtd: 'DTD_STS_EDT.dtd', text: swap(STS_2013, '<SERVICE CODE_MATIERE="020100" CODE_MOD_COURS="CG">', '<SERVICE CODE_MATIERE="020100">'),
    first: { kind: 'missing-attribute', element: 'SERVICE', line: lineOf(STS_2013, '<SERVICE CODE_MATIERE="020100"') },
  },
  {
    name: 'sts_emp INDIVIDU without PRENOM', dtd: 'DTD_STS_EDT.dtd', text: swap(STS_2013, '<PRENOM>Luc</PRENOM>', ''),
    first: { kind: 'missing-element', element: 'INDIVIDU', line: lineOf(STS_2013, '<INDIVIDU ID="31762"') },
  },
  {
    name: 'sts_emp DIVISION children out of order', dtd: 'DTD_STS_EDT.dtd', text: swap(STS_2013, '<LIBELLE_LONG>6EME B</LIBELLE_LONG>\n          <SERVICES/>', '<SERVICES/>\n          <LIBELLE_LONG>6EME B</LIBELLE_LONG>'),
    first: { kind: 'unexpected-element', element: 'SERVICES', line: lineOf(STS_2013, '<LIBELLE_LONG>6EME B') },
  },
  {
    name: 'sts_emp with HORODATAGE in PARAMETRES (the previous generator)', dtd: 'DTD_STS_EDT.dtd', text: swap(STS_2013, '  </PARAMETRES>', '    <HORODATAGE>01/09/2019 08:00:00</HORODATAGE>\n  </PARAMETRES>'),
    first: { kind: 'unexpected-element', element: 'HORODATAGE', line: lineOf(STS_2013, '  </PARAMETRES>') },
  },
  {
    name: 'sts_emp with the 2018 blocks against the 2013 DTD', dtd: 'DTD_STS_EDT.dtd', text: STS,
    first: { kind: 'unexpected-element', element: 'HORAIRES', line: lineOf(STS, '<HORAIRES>') },
  },
];

describe('formats/dtd.ts agrees with xmllint --dtdvalid (DTD_STS_EDT.dtd, DTD_EDT_STS.dtd)', () => {
  it('our copies are the DTDs of ../shared/formats/sts-web, byte for byte', () => {
    for (const name of ['DTD_STS_EDT.dtd', 'DTD_EDT_STS.dtd', 'DTD_STS_EDT.variant-no-contrats.dtd']) {
      expect(readFileSync(dtdPath(name)).equals(readSharedFormat('sts-web', name))).toBe(true);
    }
  });

  for (const c of cases) {
    it(`${c.first ? 'invalid' : 'valid'}: ${c.name}`, async () => {
      const mine = ours(c.dtd, c.text);
      const libxml2 = await xmllintDtd(dtdPath(c.dtd), Buffer.from(c.text, 'latin1'));
      expect({ ours: mine.valid, xmllint: libxml2.valid }).toEqual({ ours: c.first === undefined, xmllint: c.first === undefined });
      if (c.first) {
        expect(mine.violations[0]).toMatchObject(c.first);
        expect(mine.violations[0]!.message).toContain(`<${c.first.element}>`);
      } else {
        expect(mine.violations).toEqual([]);
      }
    });
  }

  it('every line xmllint flags in the 2018 sts_emp is one of the later blocks (or DONNEES, their parent)', async () => {
    const libxml2 = await xmllintDtd(dtdPath('DTD_STS_EDT.dtd'), Buffer.from(STS, 'latin1'));
    const from = lineOf(STS, '  <DONNEES>');
    const to = lineOf(STS, '</SALLES_COURS>');
    expect(libxml2.errors.length).toBeGreaterThan(0);
    for (const e of libxml2.errors) {
      expect(e.line).toBeGreaterThanOrEqual(from);
      expect(e.line).toBeLessThanOrEqual(to);
    }
  });
});

describe('parseDtd', () => {
  it('expands parameter entities (%descUAJ;) and compiles every content model of the three DTDs', () => {
    const sts = loadDtd('DTD_STS_EDT.dtd');
    expect(sts.elements.size).toBe(90);
    expect(loadDtd('DTD_EDT_STS.dtd').elements.size).toBe(54);
    const uaj = sts.elements.get('UAJ');
    expect(uaj?.kind).toBe('children');
    expect(uaj?.kind === 'children' && uaj.text).toContain('ETABLISSEMENT_SENSIBLE?');
  });

  it('refuses a DTD that declares an element twice (xmllint does too)', () => {
    expect(() => parseDtd('x.dtd', '<!ELEMENT A (#PCDATA)><!ELEMENT A (#PCDATA)>')).toThrow(/déclaré deux fois/);
  });

  it('stays linear on a long repetition (10 000 INDIVIDU)', () => {
    const many = `<EDT_STS><PARAMETRES><UAJ>0750680G</UAJ></PARAMETRES><DONNEES><HORAIRES/><ALTERNANCES/><INDIVIDUS>${'<INDIVIDU ID="1"/>'.repeat(10_000)}</INDIVIDUS><STRUCTURE><DIVISIONS/><GROUPES/></STRUCTURE></DONNEES></EDT_STS>`;
    const t0 = performance.now();
    expect(ours('DTD_EDT_STS.dtd', many).valid).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

// Every single-element mutation of the fixtures (an element removed, doubled, or swapped with its
// next sibling), judged by both validators: they must agree on each.
function serialize(el: XmlElement): string {
  const esc = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const attrs = Object.entries(el.attrs).map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  return `<${el.name}${attrs}>${esc(el.text)}${el.children.map(serialize).join('')}</${el.name}>`;
}

function mutants(root: XmlElement): XmlElement[] {
  const parents: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    parents.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  const out: XmlElement[] = [];
  const clone = (e: XmlElement): XmlElement => ({ ...e, attrs: { ...e.attrs }, children: e.children.map(clone) });
  parents.forEach((p, pi) => {
    p.children.forEach((_, ci) => {
      for (const op of ['remove', 'double', 'swap'] as const) {
        if (op === 'swap' && ci + 1 >= p.children.length) continue;
        const copy = clone(root);
        const list: XmlElement[] = [];
        const walkCopy = (e: XmlElement): void => {
          list.push(e);
          e.children.forEach(walkCopy);
        };
        walkCopy(copy);
        const kids = list[pi]!.children;
        if (op === 'remove') kids.splice(ci, 1);
        else if (op === 'double') kids.splice(ci, 0, clone(kids[ci]!));
        else [kids[ci], kids[ci + 1]] = [kids[ci + 1]!, kids[ci]!];
        out.push(copy);
      }
    });
  });
  return out;
}

describe('formats/dtd.ts and xmllint agree on every one-element mutation of the fixtures', () => {
  const sets = [
    { name: 'emp_sts métropole', dtd: 'DTD_EDT_STS.dtd' as const, text: EMP },
    { name: 'emp_sts sans ANNEE_SCOLAIRE', dtd: 'DTD_EDT_STS.dtd' as const, text: EMP_NO_YEAR },
    { name: 'emp_sts Nouvelle-Calédonie', dtd: 'DTD_EDT_STS.dtd' as const, text: EMP_NC },
    { name: 'sts_emp (2013 blocks)', dtd: 'DTD_STS_EDT.dtd' as const, text: STS_2013 },
  ];
  for (const s of sets) {
    it(`${s.name}`, async () => {
      const root = s.dtd === 'DTD_EDT_STS.dtd' ? 'EDT_STS' : 'STS_EDT';
      const docs = mutants(parseXmlTree('x.xml', Buffer.from(s.text, 'latin1')));
      const texts = docs.map((d) => `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(d)}`);
      const libxml2 = await xmllintDtdMany(dtdPath(s.dtd), texts);
      const mine = docs.map((d) => validateAgainstDtd(d, loadDtd(s.dtd), { root }).valid);
      const disagreements = texts.filter((_, i) => libxml2[i] !== mine[i]).slice(0, 3);
      expect(disagreements).toEqual([]);
      expect(docs.length).toBeGreaterThan(50);
      expect(mine.filter((v) => !v).length).toBeGreaterThan(10); // the mutations do break the file
      expect(mine.filter((v) => v).length).toBeGreaterThan(5); // and some stay valid (optional, repeatable elements)
    });
  }
});
