// Structures.xml (root BEE_STRUCTURES). No real file was found: pyKol reads real files with
// `@CODE_STRUCTURE` attributes and child `CODE_STRUCTURE`/`CODE_MEF` inside the *_APPARTENANCE
// blocks; the spec lists them as fields. Both the attribute and the child form are accepted.
import type { SiecleStructures } from '../types.js';
import { select, textAt, type XmlElement } from '../xml.js';
import { attrOrChild, beeHeader, openBeeExport, withOptional } from './header.js';

// Loops and module-level functions rather than arrows made per call (formats/xml.ts TreeBuilder).
function codesIn(el: XmlElement, path: string, field: string): string[] {
  const found: string[] = [];
  for (const x of select(el, path)) {
    const code = attrOrChild(x, field) ?? attrOrChild(x, 'CODE');
    if (code !== undefined) found.push(code);
  }
  return found;
}

function codeOf(el: XmlElement): string {
  return attrOrChild(el, 'CODE_STRUCTURE') ?? attrOrChild(el, 'CODE') ?? '';
}

function division(d: XmlElement): SiecleStructures['divisions'][number] {
  return withOptional({ code: codeOf(d), mefs: codesIn(d, 'MEFS_APPARTENANCE/MEF_APPARTENANCE', 'CODE_MEF') }, { label: textAt(d, 'LIBELLE_LONG') });
}

function group(g: XmlElement): SiecleStructures['groups'][number] {
  return withOptional(
    {
      code: codeOf(g),
      divisions: codesIn(g, 'DIVISIONS_APPARTENANCE/DIVISION_APPARTENANCE', 'CODE_STRUCTURE'),
      mefs: codesIn(g, 'MEFS_APPARTENANCE/MEF_APPARTENANCE', 'CODE_MEF'),
    },
    { label: textAt(g, 'LIBELLE_LONG') },
  );
}

export function readSiecleStructures(file: string, bytes: Uint8Array): SiecleStructures {
  const root = openBeeExport(file, bytes, 'siecle-structures');
  return {
    header: beeHeader(file, root, 'siecle-structures'),
    divisions: select(root, 'DONNEES/DIVISIONS/DIVISION').map(division),
    groups: select(root, 'DONNEES/GROUPES/GROUPE').map(group),
  };
}
