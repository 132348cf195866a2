// The part of an LSU file's XSD that libxml2 does not check: xs:ID values unique in the file and
// every xs:IDREF(S) naming one of them. Measured: `xmllint --schema`, streaming or not, accepts a
// duplicate id="EL_01" and an eleve-ref="EL_99" that names nothing (libxml2 2.9.14), whereas a
// validator that applies the XSD rules (LSU's, presumably) refuses both. Checked here while the
// streaming reader goes through the file: memory holds the ids (the referentials: a few MB for a
// 100 Mo file) and the references not yet resolved.
import type { SchemaViolation } from './xmllint-stream.js';

/** Attributes typed xs:IDREF or xs:IDREFS in the LSU schemas of formats/xsd (2.0 … 10.0); xs:ID is always `id`. */
const IDREF_ATTRIBUTES = new Set([
  'acc-perso-groupe-ref', 'acc-perso-ref', 'comp-num-commun-refs', 'discipline-ref', 'discipline-refs', 'element-programme-refs', 'eleve-ref',
  'enseignant-ref', 'enseignant-refs', 'epi-groupe-ref', 'epi-ref', 'id-lv', 'periode-ref', 'prof-princ-refs', 'responsable-etab-ref',
]);

const MAX_KEPT = 20;

export class LsuIdRefs {
  private readonly ids = new Map<string, number>();
  /** Reference → where it was first seen, while no id of that value is known. */
  private readonly pending = new Map<string, { line: number; element: string; attribute: string }>();
  private readonly violations: SchemaViolation[] = [];
  private more = 0;

  element(name: string, attributes: Readonly<Record<string, string | undefined>>, line: number): void {
    for (const [attribute, value] of Object.entries(attributes)) {
      if (value === undefined) continue;
      if (attribute === 'id') {
        const id = value.trim();
        const first = this.ids.get(id);
        if (first !== undefined) this.add({ line, element: name, attribute, ours: true, message: `identifiant « ${id} » déjà utilisé ligne ${first} (un identifiant est unique dans le fichier)` });
        else {
          this.ids.set(id, line);
          this.pending.delete(id);
        }
      } else if (IDREF_ATTRIBUTES.has(attribute)) {
        for (const ref of value.split(/\s+/)) {
          if (ref && !this.ids.has(ref) && !this.pending.has(ref)) this.pending.set(ref, { line, element: name, attribute });
        }
      }
    }
  }

  /** The violations, references left unresolved at the end of the file included. */
  finish(): { violations: SchemaViolation[]; more: number } {
    for (const [ref, at] of this.pending) this.add({ ...at, ours: true, message: `référence « ${ref} » à un identifiant absent du fichier` });
    this.pending.clear();
    this.violations.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { violations: this.violations, more: this.more };
  }

  private add(v: SchemaViolation): void {
    if (this.violations.length < MAX_KEPT) this.violations.push(v);
    else this.more += 1;
  }
}
