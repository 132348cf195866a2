// A small DTD validator for the two STS-Web files (sts_emp, emp_sts). Input files may never carry a
// DOCTYPE (xml.ts refuses them: no entity expansion), so they are checked against OUR copy of the
// DTD (formats/dtd/), on the element tree saxes built (with a line per element).
//
// What it understands is what these DTDs use: ELEMENT declarations with EMPTY, ANY, (#PCDATA),
// mixed content and content models of sequences, choices and ?, *, +; ATTLIST with CDATA or
// enumerated attributes, #REQUIRED, #IMPLIED, #FIXED or a default; internal parameter entities
// (%descUAJ;). Content models are compiled to a Thompson automaton and simulated: linear in the
// number of children, whatever the model, and the first child that cannot follow is named.
// It agrees with `xmllint --dtdvalid` on valid/invalid (test/unit/formats/dtd.test.ts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { XmlElement } from './xml.js';

type Model =
  | { kind: 'name'; name: string; q: Quant }
  | { kind: 'seq' | 'choice'; items: Model[]; q: Quant };
type Quant = '' | '?' | '*' | '+';

type Content =
  | { kind: 'empty' }
  | { kind: 'any' }
  | { kind: 'mixed'; names: Set<string> }
  | { kind: 'children'; automaton: Automaton; text: string };

interface AttributeDecl {
  name: string;
  required: boolean;
  values?: Set<string>;
  fixed?: string;
}

export interface Dtd {
  /** File name of the DTD (formats/dtd/…), for messages. */
  name: string;
  elements: Map<string, Content>;
  attributes: Map<string, Map<string, AttributeDecl>>;
}

export type DtdViolationKind =
  | 'wrong-root'
  | 'undeclared-element'
  | 'unexpected-element'
  | 'missing-element'
  | 'text-not-allowed'
  | 'missing-attribute'
  | 'undeclared-attribute'
  | 'attribute-value'
  /** An element the caller declared as "added by later versions" (not in the DTD): skipped. */
  | 'later-element';

export interface DtdViolation {
  kind: DtdViolationKind;
  line: number;
  /** The element the violation is about (the parent for missing-element / text-not-allowed). */
  element: string;
  /** Slash-separated path from the root, e.g. "EDT_STS/PARAMETRES/UAJ". */
  path: string;
  /** French, as shown to the school's staff. */
  message: string;
}

export interface DtdValidation {
  valid: boolean;
  violations: DtdViolation[];
  /** Violations found beyond `maxViolations` (not listed). */
  more: number;
}

// ----------------------------------------------------------------------------------------------
// Content-model automaton (Thompson): states with name transitions and epsilon transitions.

interface Automaton {
  edges: Map<string, number>[];
  eps: number[][];
  start: number;
  final: number;
  /**
   * The deterministic automaton, built lazily as files are checked (the models are small): state
   * sets are interned (`sets[id]`, id 0 = the start), `next[id]` maps a child name to the next
   * set's id, or -1 when no child of that name may come there.
   */
  sets: Set<number>[];
  ids: Map<string, number>;
  next: Map<string, number>[];
}

function compile(model: Model): Automaton {
  const edges: Map<string, number>[] = [];
  const eps: number[][] = [];
  const state = (): number => {
    edges.push(new Map());
    eps.push([]);
    return edges.length - 1;
  };
  const build = (m: Model): { from: number; to: number } => {
    const from = state();
    const to = state();
    if (m.kind === 'name') {
      const a = state();
      const b = state();
      edges[a]!.set(m.name, b);
      eps[from]!.push(a);
      eps[b]!.push(to);
      quantify(from, to, a, b, m.q);
    } else {
      const parts = m.items.map(build);
      const inner = state();
      const innerEnd = state();
      if (m.kind === 'seq') {
        let at = inner;
        for (const p of parts) {
          eps[at]!.push(p.from);
          at = p.to;
        }
        eps[at]!.push(innerEnd);
      } else {
        for (const p of parts) {
          eps[inner]!.push(p.from);
          eps[p.to]!.push(innerEnd);
        }
      }
      eps[from]!.push(inner);
      eps[innerEnd]!.push(to);
      quantify(from, to, inner, innerEnd, m.q);
    }
    return { from, to };
  };
  function quantify(from: number, to: number, a: number, b: number, q: Quant): void {
    if (q === '?' || q === '*') eps[from]!.push(to);
    if (q === '*' || q === '+') eps[b]!.push(a);
  }
  const { from, to } = build(model);
  const a: Automaton = { edges, eps, start: from, final: to, sets: [], ids: new Map(), next: [] };
  intern(a, closure(a, [from]));
  return a;
}

/** Bounds the lazily built automaton (a model of n names has at most 2^n sets; ours have a handful). */
const MAX_SETS = 4096;

function intern(a: Automaton, set: Set<number>): number {
  const key = [...set].sort((x, y) => x - y).join(',');
  let id = a.ids.get(key);
  if (id === undefined) {
    id = a.sets.length;
    a.sets.push(set);
    a.next.push(new Map());
    if (a.sets.length <= MAX_SETS) a.ids.set(key, id);
  }
  return id;
}

function step(a: Automaton, from: number, name: string): number {
  const known = a.next[from]!.get(name);
  if (known !== undefined) return known;
  const targets: number[] = [];
  for (const s of a.sets[from]!) {
    const t = a.edges[s]!.get(name);
    if (t !== undefined) targets.push(t);
  }
  const id = targets.length === 0 ? -1 : intern(a, closure(a, targets));
  a.next[from]!.set(name, id);
  return id;
}

function closure(a: Automaton, states: Iterable<number>): Set<number> {
  const out = new Set<number>();
  const stack = [...states];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (out.has(s)) continue;
    out.add(s);
    for (const t of a.eps[s]!) if (!out.has(t)) stack.push(t);
  }
  return out;
}

/** Names that may come next, in the order of the content model (states are numbered in model order). */
function expectedNames(a: Automaton, states: Set<number>): string[] {
  const names = new Set<string>();
  for (const s of [...states].sort((x, y) => x - y)) for (const n of a.edges[s]!.keys()) names.add(n);
  return [...names];
}

// ----------------------------------------------------------------------------------------------
// DTD text → declarations

function expandParameterEntities(text: string): string {
  const entities = new Map<string, string>();
  let rest = text.replace(/<!ENTITY\s+%\s+([\w.-]+)\s+(["'])([\s\S]*?)\2\s*>/g, (_m, name: string, _q, value: string) => {
    entities.set(name, value);
    return '';
  });
  // Entities may refer to entities: a few rounds at most (bounded: no recursion through a cycle).
  for (let round = 0; round < 8 && /%[\w.-]+;/.test(rest); round += 1) {
    rest = rest.replace(/%([\w.-]+);/g, (m, name: string) => entities.get(name) ?? m);
  }
  return rest;
}

function parseModel(spec: string, dtdName: string, element: string): Model {
  const tokens = spec.match(/[(),|?*+]|[^\s(),|?*+]+/g) ?? [];
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`DTD ${dtdName} : modèle de contenu de <${element}> illisible (${why}).`);
  };
  const quant = (): Quant => {
    const t = tokens[at];
    if (t === '?' || t === '*' || t === '+') {
      at += 1;
      return t;
    }
    return '';
  };
  const particle = (): Model => {
    const t = tokens[at];
    if (t === undefined) return fail('fin inattendue');
    if (t === '(') {
      at += 1;
      const items = [particle()];
      let sep: string | undefined;
      while (tokens[at] === ',' || tokens[at] === '|') {
        if (sep !== undefined && tokens[at] !== sep) fail('« , » et « | » mêlés');
        sep = tokens[at];
        at += 1;
        items.push(particle());
      }
      if (tokens[at] !== ')') fail('« ) » attendu');
      at += 1;
      return { kind: sep === '|' ? 'choice' : 'seq', items, q: quant() };
    }
    if (/^[\w.:-]+$/.test(t)) {
      at += 1;
      return { kind: 'name', name: t, q: quant() };
    }
    return fail(`« ${t} »`);
  };
  const model = particle();
  if (at !== tokens.length) fail('texte après le modèle');
  return model;
}

function parseContent(spec: string, dtdName: string, element: string): Content {
  const s = spec.trim();
  if (s === 'EMPTY') return { kind: 'empty' };
  if (s === 'ANY') return { kind: 'any' };
  if (/^\(\s*#PCDATA/.test(s)) {
    const names = s.replace(/^\(\s*#PCDATA/, '').replace(/\)\s*\*?$/, '').split('|').map((n) => n.trim()).filter((n) => n !== '');
    return { kind: 'mixed', names: new Set(names) };
  }
  return { kind: 'children', automaton: compile(parseModel(s, dtdName, element)), text: s.replace(/\s+/g, ' ') };
}

function parseAttlist(body: string, dtdName: string, element: string): AttributeDecl[] {
  const tokens = body.match(/"[^"]*"|'[^']*'|\([^)]*\)|[^\s]+/g) ?? [];
  const out: AttributeDecl[] = [];
  for (let i = 0; i < tokens.length; ) {
    const name = tokens[i++]!;
    const type = tokens[i++];
    if (type === undefined) throw new Error(`DTD ${dtdName} : ATTLIST de <${element}> incomplète.`);
    const values = type.startsWith('(') ? new Set(type.slice(1, -1).split('|').map((v) => v.trim())) : undefined;
    let def = tokens[i++];
    let fixed: string | undefined;
    if (def === '#FIXED') {
      fixed = tokens[i++]?.slice(1, -1);
      def = '#FIXED';
    }
    out.push({ name, required: def === '#REQUIRED', ...(values && { values }), ...(fixed !== undefined && { fixed }) });
  }
  return out;
}

/** Parses a DTD's text (internal parameter entities expanded; external ones are not supported). */
export function parseDtd(name: string, text: string): Dtd {
  const body = expandParameterEntities(text.replace(/<!--[\s\S]*?-->/g, ''));
  const elements = new Map<string, Content>();
  const attributes = new Map<string, Map<string, AttributeDecl>>();
  for (const m of body.matchAll(/<!ELEMENT\s+([\w.:-]+)\s+([\s\S]*?)>/g)) {
    const [, element, spec] = m as unknown as [string, string, string];
    // xmllint refuses a DTD declaring an element twice; so do we (a copy edited by mistake).
    if (elements.has(element)) throw new Error(`DTD ${name} : élément <${element}> déclaré deux fois.`);
    elements.set(element, parseContent(spec, name, element));
  }
  for (const m of body.matchAll(/<!ATTLIST\s+([\w.:-]+)\s+([\s\S]*?)>/g)) {
    const [, element, spec] = m as unknown as [string, string, string];
    const map = attributes.get(element) ?? new Map<string, AttributeDecl>();
    // XML 1.0 §3.3: the first declaration of an attribute is binding, later ones are ignored.
    for (const a of parseAttlist(spec, name, element)) if (!map.has(a.name)) map.set(a.name, a);
    attributes.set(element, map);
  }
  return { name, elements, attributes };
}

const DTD_DIR = join(dirname(fileURLToPath(import.meta.url)), 'dtd');
const cache = new Map<string, Dtd>();

/** One of our copies in formats/dtd (see formats/dtd/README.md), parsed once. */
export function loadDtd(fileName: string): Dtd {
  let dtd = cache.get(fileName);
  if (!dtd) {
    dtd = parseDtd(fileName, readFileSync(join(DTD_DIR, fileName), 'latin1'));
    cache.set(fileName, dtd);
  }
  return dtd;
}

export function dtdPath(fileName: string): string {
  return join(DTD_DIR, fileName);
}

// ----------------------------------------------------------------------------------------------
// Validation of an element tree

export interface ValidateOptions {
  /** The root element the document must have (the DTD alone does not say which). */
  root: string;
  /**
   * Children the caller knows later versions of the format add (e.g. DONNEES/HORAIRES in 2018
   * sts_emp files): reported as 'later-element', left out of the parent's content model, and not
   * looked into (their content is not described by this DTD).
   */
  later?: { parentPath: string; children: ReadonlySet<string> };
  /** Violations listed at most (the rest are counted). Default 200. */
  maxViolations?: number;
}

interface Frame {
  el: XmlElement;
  parent: Frame | undefined;
}

/** An element's path from the root, built only when a violation needs it. */
class LazyPath {
  private text: string | undefined;
  constructor(private readonly frame: Frame) {}
  toString(): string {
    if (this.text === undefined) {
      const names: string[] = [];
      for (let f: Frame | undefined = this.frame; f; f = f.parent) names.push(f.el.name);
      this.text = names.reverse().join('/');
    }
    return this.text;
  }
}

function anyNamed(children: readonly XmlElement[], names: ReadonlySet<string>): boolean {
  for (const child of children) if (names.has(child.name)) return true;
  return false;
}

const list = (names: readonly string[]): string => names.map((n) => `<${n}>`).join(', ');

export function validateAgainstDtd(root: XmlElement, dtd: Dtd, options: ValidateOptions): DtdValidation {
  const max = options.maxViolations ?? 200;
  const violations: DtdViolation[] = [];
  let more = 0;
  let invalid = false;
  const report = (v: DtdViolation): void => {
    if (v.kind !== 'later-element') invalid = true;
    if (violations.length < max) violations.push(v);
    else more += 1;
  };
  if (root.name !== options.root) {
    report({ kind: 'wrong-root', line: root.line, element: root.name, path: root.name, message: `racine <${root.name}> : <${options.root}> attendu (${dtd.name}).` });
  }
  // Explicit stack rather than recursion: depth is the file's, not ours to trust.
  const stack: { el: XmlElement; parent: Frame | undefined }[] = [{ el: root, parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { el } = frame;
    const path = new LazyPath(frame);
    const content = dtd.elements.get(el.name);
    if (!content) {
      report({ kind: 'undeclared-element', line: el.line, element: el.name, path: path.toString(), message: `élément <${el.name}> inconnu de la DTD ${dtd.name}.` });
      continue; // its content cannot be judged; its children would only repeat the point
    }
    checkAttributes(el, path, dtd, report);
    let children = el.children;
    // The names first: an element's path is built only for a child that bears one of them.
    const later = options.later;
    if (later && anyNamed(el.children, later.children) && path.toString() === later.parentPath) {
      children = [];
      for (const child of el.children) {
        if (later.children.has(child.name)) {
          report({
            kind: 'later-element', line: child.line, element: child.name, path: `${path.toString()}/${child.name}`,
            message: `élément <${child.name}> ajouté par les versions plus récentes du format (absent de la DTD ${dtd.name}) : non contrôlé.`,
          });
        } else children.push(child);
      }
    }
    checkContent(el, path, children, content, report);
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push({ el: children[i]!, parent: frame });
  }
  return { valid: !invalid, violations, more };
}

function checkAttributes(el: XmlElement, path: LazyPath, dtd: Dtd, report: (v: DtdViolation) => void): void {
  const declared = dtd.attributes.get(el.name);
  for (const [name, value] of Object.entries(el.attrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xml:')) continue;
    const decl = declared?.get(name);
    if (!decl) {
      report({ kind: 'undeclared-attribute', line: el.line, element: el.name, path: path.toString(), message: `attribut ${name} non prévu par la DTD pour <${el.name}>.` });
    } else if ((decl.values && !decl.values.has(value)) || (decl.fixed !== undefined && value !== decl.fixed)) {
      report({ kind: 'attribute-value', line: el.line, element: el.name, path: path.toString(), message: `valeur « ${value} » de l'attribut ${name} de <${el.name}> non autorisée par la DTD.` });
    }
  }
  for (const decl of declared?.values() ?? []) {
    if (decl.required && !(decl.name in el.attrs)) {
      report({ kind: 'missing-attribute', line: el.line, element: el.name, path: path.toString(), message: `attribut obligatoire ${decl.name} absent de <${el.name}>.` });
    }
  }
}

function checkContent(el: XmlElement, path: LazyPath, children: XmlElement[], content: Content, report: (v: DtdViolation) => void): void {
  const hasText = el.text.trim() !== '';
  switch (content.kind) {
    case 'any':
      return;
    case 'empty':
      if (children.length > 0 || el.text !== '') {
        report({ kind: 'text-not-allowed', line: el.line, element: el.name, path: path.toString(), message: `<${el.name}> doit être vide (EMPTY dans la DTD).` });
      }
      return;
    case 'mixed':
      for (const c of children) {
        if (content.names.has(c.name)) continue;
        const what = content.names.size === 0 ? 'du texte seul' : `du texte et ${list([...content.names])}`;
        report({ kind: 'unexpected-element', line: c.line, element: c.name, path: `${path.toString()}/${c.name}`, message: `élément <${c.name}> inattendu dans <${el.name}>, qui contient ${what}.` });
      }
      return;
    case 'children': {
      if (hasText) report({ kind: 'text-not-allowed', line: el.line, element: el.name, path: path.toString(), message: `texte non autorisé dans <${el.name}> (éléments seuls : ${content.text}).` });
      const a = content.automaton;
      let at = 0;
      for (const c of children) {
        const next = step(a, at, c.name);
        if (next < 0) {
          const states = a.sets[at]!;
          const expected = expectedNames(a, states);
          const end = states.has(a.final) ? `fin de <${el.name}>` : undefined;
          const wanted = [...expected.map((n) => `<${n}>`), ...(end ? [end] : [])].join(' ou ');
          report({
            kind: 'unexpected-element', line: c.line, element: c.name, path: `${path.toString()}/${c.name}`,
            message: `élément <${c.name}> inattendu dans <${el.name}> (attendu : ${wanted || 'rien'} ; modèle ${content.text}).`,
          });
          return; // one mismatch per parent: the rest of its children would be misjudged
        }
        at = next;
      }
      const states = a.sets[at]!;
      if (!states.has(a.final)) {
        report({
          kind: 'missing-element', line: el.line, element: el.name, path: path.toString(),
          message: `<${el.name}> incomplet : ${list(expectedNames(a, states))} attendu (modèle ${content.text}).`,
        });
      }
    }
  }
}
