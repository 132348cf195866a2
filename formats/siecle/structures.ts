// Structures.xml (root BEE_STRUCTURES). No real file was found: pyKol reads real files with
// `@CODE_STRUCTURE` attributes and child `CODE_STRUCTURE`/`CODE_MEF` inside the *_APPARTENANCE
// blocks; the spec lists them as fields. Both the attribute and the child form are accepted.
import type { SiecleStructures } from '../types.js';
import { select, textAt, type XmlElement } from '../xml.js';
import { attrOrChild, beeHeader, openBeeExport, withOptional } from './header.js';

function codesIn(el: XmlElement, path: string, field: string): string[] {
  return select(el, path)
    .map((x) => attrOrChild(x, field) ?? attrOrChild(x, 'CODE'))
    .filter((c): c is string => c !== undefined);
}

function codeOf(el: XmlElement): string {
  return attrOrChild(el, 'CODE_STRUCTURE') ?? attrOrChild(el, 'CODE') ?? '';
}

export function readSiecleStructures(file: string, bytes: Uint8Array): SiecleStructures {
  const root = openBeeExport(file, bytes, 'siecle-structures');
  return {
    header: beeHeader(file, root, 'siecle-structures'),
    divisions: select(root, 'DONNEES/DIVISIONS/DIVISION').map((d) =>
      withOptional({ code: codeOf(d), mefs: codesIn(d, 'MEFS_APPARTENANCE/MEF_APPARTENANCE', 'CODE_MEF') }, { label: textAt(d, 'LIBELLE_LONG') }),
    ),
    groups: select(root, 'DONNEES/GROUPES/GROUPE').map((g) =>
      withOptional(
        {
          code: codeOf(g),
          divisions: codesIn(g, 'DIVISIONS_APPARTENANCE/DIVISION_APPARTENANCE', 'CODE_STRUCTURE'),
          mefs: codesIn(g, 'MEFS_APPARTENANCE/MEF_APPARTENANCE', 'CODE_MEF'),
        },
        { label: textAt(g, 'LIBELLE_LONG') },
      ),
    ),
  };
}
