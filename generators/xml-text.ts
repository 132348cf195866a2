// A tiny XML text builder for the writers: indented, escaped, deterministic. Files of the chain
// are small (except LSU, streamed by formats/lsu-bilans-writer.ts), so strings are enough.
import iconv from 'iconv-lite';
import type { IsoDate, IsoDateTime } from '../formats/types.js';
import { escapeXml } from '../formats/xml.js';

export type Attrs = Record<string, string | number | undefined>;
/** An element: a text value, child elements, or nothing (written `<TAG/>`, BEE's "empty string"). */
export interface Node {
  tag: string;
  attrs?: Attrs;
  text?: string | number;
  children?: (Node | undefined)[];
}

export function el(tag: string, content?: string | number | (Node | undefined)[], attrs?: Attrs): Node {
  if (Array.isArray(content)) return { tag, children: content, ...(attrs && { attrs }) };
  return { tag, ...(content !== undefined && { text: content }), ...(attrs && { attrs }) };
}

/** An optional element: left out when the value is undefined (BEE rule 2.4: NULL ⇒ no tag). */
export function opt(tag: string, value: string | number | undefined): Node | undefined {
  return value === undefined ? undefined : el(tag, value);
}

function attrText(attrs: Attrs | undefined): string {
  if (!attrs) return '';
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function render(node: Node, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const open = `${pad}<${node.tag}${attrText(node.attrs)}`;
  const children = node.children?.filter((c): c is Node => c !== undefined);
  if (children && children.length > 0) {
    out.push(`${open}>\n`);
    for (const child of children) render(child, depth + 1, out);
    out.push(`${pad}</${node.tag}>\n`);
  } else if (node.text !== undefined && node.text !== '') {
    out.push(`${open}>${escapeXml(String(node.text))}</${node.tag}>\n`);
  } else {
    out.push(`${open}/>\n`);
  }
}

/**
 * The document as ISO-8859-15 bytes, like every SIECLE and STS file. Characters outside Latin-9
 * become "?" (BEE export rule 2.5), which is what the real exports do.
 */
export function latin9Document(root: Node): Buffer {
  const out = ['<?xml version="1.0" encoding="ISO-8859-15"?>\n'];
  render(root, 0, out);
  return iconv.encode(out.join(''), 'ISO-8859-15');
}

/** YYYY-MM-DD → JJ/MM/AAAA (BEE dates). */
export function fr(date: IsoDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** YYYY-MM-DDTHH:MM:SS → JJ/MM/AAAA HH:MM:SS (BEE HORODATAGE). */
export function frDateTime(at: IsoDateTime): string {
  return `${fr(at.slice(0, 10))} ${at.slice(11, 19)}`;
}
