// The two STS-Web files checked against their DTD (our copies in formats/dtd/), in the anomaly type
// of everything else. Shared by `synchro check` (checks/check-file.ts) and the steps sts-edt and
// edt-sts. What each violation weighs:
// - Bloquant: the file is not what the DTD describes; the application that validates it (as the
//   rectorat application did, ImportEDTBusiness.java l.197) refuses it whole.
// - Informatif: an element only later versions of the file add (DONNEES/HORAIRES, ALTERNANCES,
//   SALLES_COURS in 2018 sts_emp files, which SACoche strips): not in the 2013 DTD, not read.
// - Avertissement: an emp_sts whose UAJ / ANNEE_SCOLAIRE are written in sts_emp's attribute form:
//   we read it (liberal reading), but it is not the DTD's shape and STS-Web may refuse it.
// The file is parsed once, in a parse thread (formats/sts-checked.ts): the same tree is validated and read.
import type { DtdViolation } from '../formats/dtd.js';
import { readStsInParseThread } from '../formats/parse-pool.js';
import { STS_DTD, type AttributeForm, type StsFindings, type StsKind } from '../formats/sts-checked.js';
import type { EmpStsFile, StsStructureFile } from '../formats/types.js';
import type { Anomaly } from '../rules/anomaly.js';

export { STS_DTD, STS_EMP_LATER_BLOCKS, validateStsTree, type StsKind } from '../formats/sts-checked.js';

function anomalyOf(file: string, dtd: string, v: DtdViolation): Anomaly {
  const later = v.kind === 'later-element';
  return {
    code: later ? 'DTD_ELEMENT_RECENT' : 'DTD_NON_CONFORME',
    level: later ? 'info' : 'blocking',
    message: `Ligne ${v.line}, <${v.element}> : ${v.message}`,
    ...(!later && {
      cause: `Le fichier ne suit pas la DTD ${dtd} : l'application qui le valide refuse le fichier entier.`,
      correction: "Exporter de nouveau le fichier depuis l'application d'origine, sans le retoucher à la main.",
    }),
    subject: { file, line: v.line },
  };
}

/** The DTD's verdict on a parsed sts_emp / emp_sts, as anomalies. */
function stsDtdAnomalies(file: string, findings: Pick<StsFindings, 'kind' | 'violations' | 'more' | 'forms'>): Anomaly[] {
  const { dtd } = STS_DTD[findings.kind];
  const forms: AttributeForm[] = findings.forms;
  const tolerated = (v: DtdViolation): boolean => forms.some((f) => v.path === f.path || v.path.startsWith(`${f.path}/`));
  const out: Anomaly[] = forms.map((f) => ({
    code: 'DTD_FORME_STS_EMP',
    level: 'warning',
    message: `Ligne ${f.line}, <${f.path.slice(f.path.lastIndexOf('/') + 1)}> : écrit comme dans sts_emp (attribut ${f.attr}) ; la DTD ${dtd} attend la valeur en texte (par exemple <UAJ>0750680G</UAJ>). Lu quand même.`,
    cause: "emp_sts n'a pas la forme de sts_emp : dans PARAMETRES, UAJ et ANNEE_SCOLAIRE sont du texte.",
    correction: "STS-Web peut refuser ce fichier : l'exporter de nouveau depuis le logiciel d'emploi du temps.",
    subject: { file, line: f.line },
  }));
  for (const v of findings.violations) if (!tolerated(v)) out.push(anomalyOf(file, dtd, v));
  if (findings.more > 0) {
    out.push({ code: 'DTD_NON_CONFORME', level: 'blocking', message: `… et ${findings.more} autres écarts à la DTD ${dtd} (non listés).`, subject: { file } });
  }
  return out;
}

/** `serialized`: the content as the worker's cache of parsed files keeps it (formats/sts-checked.ts). */
export type StsRead =
  | { kind: 'sts-edt'; data?: StsStructureFile; serialized?: Uint8Array; anomalies: Anomaly[]; error?: unknown }
  | { kind: 'edt-sts'; data?: EmpStsFile; serialized?: Uint8Array; anomalies: Anomaly[]; error?: unknown };

/**
 * Parses once, validates against the DTD, reads: what `synchro check` and the steps sts-edt and
 * edt-sts both need, from one parse. Throws only when the XML itself cannot be parsed
 * (ExchangeFileError); a tree the reader refuses (no UAI, no year) comes back with `error` and
 * the DTD anomalies, which usually say why. What readExchangeFile checks before it reads (an empty
 * or tag-less file, a root of no exchange file, the kind's size cap: formats/detect.ts) is said
 * here as it says it, so that a file read here and one read through the parse pool fail alike.
 */
export async function readStsChecked<K extends StsKind>(file: string, bytes: Uint8Array, kind: K): Promise<Extract<StsRead, { kind: K }>> {
  // Parsed, validated and read in a parse thread (heap-limited, off the main thread).
  const findings = await readStsInParseThread(file, bytes, kind);
  const anomalies = stsDtdAnomalies(file, findings);
  const read: StsRead = findings.error !== undefined || !findings.data
    ? { kind, anomalies, ...(findings.error !== undefined && { error: findings.error }) }
    : ({ kind, data: findings.data, ...(findings.serialized && { serialized: findings.serialized }), anomalies } as StsRead);
  return read as Extract<StsRead, { kind: K }>;
}
