// The two STS-Web files checked against their DTD (our copies in formats/dtd/), in the anomaly type
// of everything else. Shared by `synchro check` (checks/check-file.ts) and the steps sts-edt and
// edt-sts. What each violation weighs:
// - Bloquant: the file is not what the DTD describes; the application that validates it (as the
//   rectorat application did, ImportEDTBusiness.java l.197) refuses it whole.
// - Informatif: an element only later versions of the file add (DONNEES/HORAIRES, ALTERNANCES,
//   SALLES_COURS in 2018 sts_emp files, which SACoche strips): not in the 2013 DTD, not read.
// - Avertissement: an emp_sts whose UAJ / ANNEE_SCOLAIRE are written in sts_emp's attribute form:
//   we read it (liberal reading), but it is not the DTD's shape and STS-Web may refuse it.
// The file is parsed once: the same tree is validated and read.
import { openXml } from '../formats/archive.js';
import { detectXmlKind } from '../formats/detect.js';
import { loadDtd, validateAgainstDtd, type DtdViolation } from '../formats/dtd.js';
import { empStsFromTree, EMP_STS_ROOT } from '../formats/emp-sts.js';
import { stsEmpFromTree, STS_EMP_ROOT } from '../formats/sts-edt.js';
import type { EmpStsFile, StsStructureFile } from '../formats/types.js';
import { parseXmlTree, type XmlElement } from '../formats/xml.js';
import type { Anomaly } from '../rules/anomaly.js';

export type StsKind = 'sts-edt' | 'edt-sts';

/** Which DTD checks which file. DTD_STS_EDT.dtd is the newer of the two copies found (with NOMENCLATURES/CONTRATS). */
export const STS_DTD: Record<StsKind, { dtd: string; root: string }> = {
  'sts-edt': { dtd: 'DTD_STS_EDT.dtd', root: STS_EMP_ROOT },
  'edt-sts': { dtd: 'DTD_EDT_STS.dtd', root: EMP_STS_ROOT },
};

/** Blocks real 2018 sts_emp files carry under DONNEES that the DTD does not declare (ASSUMED, formats/ASSUMPTIONS.md STS-3: position anywhere in DONNEES, content not checked). */
export const STS_EMP_LATER_BLOCKS: ReadonlySet<string> = new Set(['HORAIRES', 'ALTERNANCES', 'SALLES_COURS']);

/** Anomalies listed at most per file; the rest are counted in one last anomaly. */
const MAX_LISTED = 200;

/** The raw validation of a parsed tree against its DTD (what test/unit/formats/dtd.test.ts compares with xmllint). */
export function validateStsTree(root: XmlElement, kind: StsKind): ReturnType<typeof validateAgainstDtd> {
  const { dtd, root: rootName } = STS_DTD[kind];
  return validateAgainstDtd(root, loadDtd(dtd), {
    root: rootName,
    maxViolations: MAX_LISTED,
    ...(kind === 'sts-edt' && { later: (parentPath: string, child: XmlElement) => parentPath === `${STS_EMP_ROOT}/DONNEES` && STS_EMP_LATER_BLOCKS.has(child.name) }),
  });
}

function attributeForms(root: XmlElement): { path: string; attr: string; line: number }[] {
  const params = root.children.find((c) => c.name === 'PARAMETRES');
  const out: { path: string; attr: string; line: number }[] = [];
  for (const [name, attr] of [['UAJ', 'CODE'], ['ANNEE_SCOLAIRE', 'ANNEE']] as const) {
    const el = params?.children.find((c) => c.name === name);
    if (el && el.attrs[attr] !== undefined) out.push({ path: `${EMP_STS_ROOT}/PARAMETRES/${name}`, attr, line: el.line });
  }
  return out;
}

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
export function stsDtdAnomalies(file: string, root: XmlElement, kind: StsKind): Anomaly[] {
  const { dtd } = STS_DTD[kind];
  const result = validateStsTree(root, kind);
  const forms = kind === 'edt-sts' ? attributeForms(root) : [];
  const tolerated = (v: DtdViolation): boolean => forms.some((f) => v.path === f.path || v.path.startsWith(`${f.path}/`));
  const out: Anomaly[] = forms.map((f) => ({
    code: 'DTD_FORME_STS_EMP',
    level: 'warning',
    message: `Ligne ${f.line}, <${f.path.slice(f.path.lastIndexOf('/') + 1)}> : écrit comme dans sts_emp (attribut ${f.attr}) ; la DTD ${dtd} attend la valeur en texte (par exemple <UAJ>0750680G</UAJ>). Lu quand même.`,
    cause: "emp_sts n'a pas la forme de sts_emp : dans PARAMETRES, UAJ et ANNEE_SCOLAIRE sont du texte.",
    correction: "STS-Web peut refuser ce fichier : l'exporter de nouveau depuis le logiciel d'emploi du temps.",
    subject: { file, line: f.line },
  }));
  for (const v of result.violations) if (!tolerated(v)) out.push(anomalyOf(file, dtd, v));
  if (result.more > 0) {
    out.push({ code: 'DTD_NON_CONFORME', level: 'blocking', message: `… et ${result.more} autres écarts à la DTD ${dtd} (non listés).`, subject: { file } });
  }
  return out;
}

export type StsRead =
  | { kind: 'sts-edt'; data?: StsStructureFile; anomalies: Anomaly[]; error?: unknown }
  | { kind: 'edt-sts'; data?: EmpStsFile; anomalies: Anomaly[]; error?: unknown };

/**
 * Parses once, validates against the DTD, reads: what `synchro check` and the steps sts-edt and
 * edt-sts both need, from one parse. Throws only when the XML itself cannot be parsed
 * (ExchangeFileError); a tree the reader refuses (no UAI, no year) comes back with `error` and
 * the DTD anomalies, which usually say why. What readExchangeFile checks before it reads (an empty
 * or tag-less file, a root of no exchange file, the kind's size cap: formats/detect.ts) is said
 * here as it says it, so that a file read here and one read through the parse pool fail alike.
 */
export async function readStsChecked<K extends StsKind>(file: string, bytes: Uint8Array, kind: K): Promise<Extract<StsRead, { kind: K }>> {
  const xml = await openXml(file, bytes);
  const inner = xml.name === file ? undefined : xml;
  let root: XmlElement;
  try {
    root = parseXmlTree(file, xml.data);
  } catch (error) {
    detectXmlKind(file, xml);
    throw error;
  }
  const anomalies = stsDtdAnomalies(file, root, kind);
  let read: StsRead;
  try {
    detectXmlKind(file, xml);
    read = kind === 'sts-edt' ? { kind: 'sts-edt', data: stsEmpFromTree(file, root), anomalies } : { kind: 'edt-sts', data: empStsFromTree(file, root, inner?.name), anomalies };
  } catch (error) {
    read = { kind, anomalies, error };
  }
  return read as Extract<StsRead, { kind: K }>;
}
