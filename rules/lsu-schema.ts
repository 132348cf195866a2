// What LSU says of a file that does not follow the XSD of its schemaVersion: Bloquant, "le
// traitement est arrêté, le fichier est rejeté, aucun bilan n'est importé" (seed 000). One anomaly
// per violation kept (line and element), one more for those counted beyond. A file that could not
// be validated at all is Bloquant too, with its reason: the chain hands LSU only files it checked.
import type { LsuFileValidation } from '../formats/lsu-schema.js';
import type { SchemaViolation } from '../formats/xmllint-stream.js';
import type { Anomaly } from './anomaly.js';

const SCHEMA_EXPLANATION = {
  cause: "Le fichier ne respecte pas le schéma d'import LSU de sa version (schemaVersion) : LSU arrête le traitement.",
  correction: "Exporter de nouveau depuis le logiciel de notes à jour ; signaler le problème à l'éditeur s'il persiste.",
};

/**
 * libxml2's usual sentences in French. Its wording depends on its version, so an unknown sentence
 * is kept as it is, quoted.
 */
export function frenchSchemaMessage(message: string): string {
  const m = message.trim();
  let r: RegExpExecArray | null;
  if ((r = /^This element is not expected\.(?: Expected is (?:one of )?\( ?(.*?) ?\)\.)?$/.exec(m))) return `élément inattendu à cet endroit${r[1] ? ` (attendu : ${r[1]})` : ''}`;
  if ((r = /^Missing child element\(s\)\.(?: Expected is (?:one of )?\( ?(.*?) ?\)\.)?$/.exec(m))) return `élément enfant manquant${r[1] ? ` (attendu : ${r[1]})` : ''}`;
  if (/^The attribute '[^']+' is not allowed\.$/.test(m)) return 'attribut non autorisé';
  if (/^The attribute '[^']+' is required but missing\.$/.test(m)) return 'attribut obligatoire absent';
  if ((r = /^\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}\.$/.exec(m))) return `valeur « ${r[1]} » hors des valeurs permises (${r[2]})`;
  if ((r = /^\[facet '(maxLength|minLength|length)'\] The value .* has a length of '(\d+)'; this (?:exceeds|underruns|differs from) the allowed (?:maximum |minimum )?length of '(\d+)'\.$/.exec(m))) {
    return `longueur ${r[2]} au lieu de ${r[1] === 'maxLength' ? 'au plus' : r[1] === 'minLength' ? 'au moins' : 'exactement'} ${r[3]} caractères`;
  }
  if ((r = /^\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\.$/.exec(m))) return `valeur « ${r[1]} » refusée par le motif ${r[2]}`;
  if ((r = /^'(.*)' is not a valid value of the (?:atomic|local atomic|union) type '?([^']*)'?\.$/.exec(m))) return `valeur « ${r[1]} » invalide (type ${r[2]})`;
  if (/^Element content is not allowed, because the content type is empty\.$/.test(m)) return "contenu interdit : l'élément doit être vide";
  return `non conforme au schéma (libxml2 : « ${m} »)`;
}

function where(v: SchemaViolation): string {
  const parts = [v.line !== undefined ? `ligne ${v.line}` : undefined, v.element ? `élément <${v.element}>` : undefined, v.attribute ? `attribut « ${v.attribute} »` : undefined];
  return parts.filter(Boolean).join(', ');
}

export function lsuSchemaAnomalies(file: string, validation: LsuFileValidation): Anomaly[] {
  if (validation.status === 'valid') return [];
  if (validation.status === 'not-validated') {
    return [{
      code: 'LSU_XSD_NON_VERIFIE', level: 'blocking', label: 'Validation impossible',
      message: `Le fichier n'a pas pu être validé contre son schéma XSD : ${validation.reason} Il n'est pas transmis à LSU sans cette validation.`,
      cause: "Le validateur XSD en flux de libxml2 (xmllint) n'est pas installé sur la machine qui contrôle le fichier.",
      correction: 'Installer libxml2-utils (apt-get install libxml2-utils) sur cette machine, puis relancer le contrôle ou l\'étape.',
      subject: { file },
    }];
  }
  const schema = validation.schemaVersion ? ` (schéma LSU ${validation.schemaVersion})` : '';
  const out: Anomaly[] = validation.violations.map((v) => ({
    code: 'LSU_SCHEMA', level: 'blocking', label: 'Fichier rejeté',
    message: `Le fichier est rejeté, aucun bilan n'est importé : ${[where(v), v.ours ? v.message.replace(/\.$/, '') : frenchSchemaMessage(v.message)].filter(Boolean).join(' : ')}${schema}.`,
    ...SCHEMA_EXPLANATION,
    subject: { file, ...(v.line !== undefined && { line: v.line }) },
  }));
  if (validation.more > 0) {
    out.push({
      code: 'LSU_SCHEMA', level: 'blocking', label: 'Fichier rejeté',
      message: `Le fichier est rejeté : ${validation.more} autre${validation.more > 1 ? 's' : ''} écart${validation.more > 1 ? 's' : ''} au schéma après ${validation.violations.length} ci-dessus (non détaillé${validation.more > 1 ? 's' : ''}).`,
      ...SCHEMA_EXPLANATION, subject: { file },
    });
  }
  return out;
}
