// The two STS-Web files parsed once, validated against their DTD (our copies in formats/dtd/) and
// read, as raw findings: checks/sts-dtd.ts turns them into anomalies. Kept in formats/ so that a
// parse thread (formats/parse-tasks.ts) does all of it off the worker's main thread.
import { openXml } from './archive.js';
import { detectXmlKind } from './detect.js';
import { loadDtd, validateAgainstDtd, type DtdViolation } from './dtd.js';
import { empStsFromTree, EMP_STS_ROOT } from './emp-sts.js';
import { stsEmpFromTree, STS_EMP_ROOT } from './sts-edt.js';
import type { EmpStsFile, StsStructureFile } from './types.js';
import { parseXmlTree, type XmlElement } from './xml.js';

export type StsKind = 'sts-edt' | 'edt-sts';

/** Which DTD checks which file. DTD_STS_EDT.dtd is the newer of the two copies found (with NOMENCLATURES/CONTRATS). */
export const STS_DTD: Record<StsKind, { dtd: string; root: string }> = {
  'sts-edt': { dtd: 'DTD_STS_EDT.dtd', root: STS_EMP_ROOT },
  'edt-sts': { dtd: 'DTD_EDT_STS.dtd', root: EMP_STS_ROOT },
};

/** Blocks real 2018 sts_emp files carry under DONNEES that the DTD does not declare (ASSUMED, formats/ASSUMPTIONS.md STS-3: position anywhere in DONNEES, content not checked). */
export const STS_EMP_LATER_BLOCKS: ReadonlySet<string> = new Set(['HORAIRES', 'ALTERNANCES', 'SALLES_COURS']);

const STS_EMP_LATER = { parentPath: `${STS_EMP_ROOT}/DONNEES`, children: STS_EMP_LATER_BLOCKS };

/** Violations listed at most per file; the rest are counted. */
const MAX_LISTED = 200;

/** The raw validation of a parsed tree against its DTD (what test/unit/formats/dtd.test.ts compares with xmllint). */
export function validateStsTree(root: XmlElement, kind: StsKind): ReturnType<typeof validateAgainstDtd> {
  const { dtd, root: rootName } = STS_DTD[kind];
  return validateAgainstDtd(root, loadDtd(dtd), {
    root: rootName,
    maxViolations: MAX_LISTED,
    ...(kind === 'sts-edt' && { later: STS_EMP_LATER }),
  });
}

/** emp_sts's UAJ / ANNEE_SCOLAIRE written in sts_emp's attribute form. */
export interface AttributeForm {
  path: string;
  attr: string;
  line: number;
}

function attributeForms(root: XmlElement): AttributeForm[] {
  const params = root.children.find((c) => c.name === 'PARAMETRES');
  const out: AttributeForm[] = [];
  for (const [name, attr] of [['UAJ', 'CODE'], ['ANNEE_SCOLAIRE', 'ANNEE']] as const) {
    const el = params?.children.find((c) => c.name === name);
    if (el && el.attrs[attr] !== undefined) out.push({ path: `${EMP_STS_ROOT}/PARAMETRES/${name}`, attr, line: el.line });
  }
  return out;
}

export interface StsFindings<K extends StsKind = StsKind> {
  kind: K;
  violations: DtdViolation[];
  /** Violations beyond those listed. */
  more: number;
  forms: AttributeForm[];
  data?: K extends 'sts-edt' ? StsStructureFile : EmpStsFile;
  /** Why the reader refused the tree (no UAI, no year…): the error it threw. */
  error?: unknown;
  /**
   * `{ kind, data }` as v8.serialize bytes, when read in a parse thread: what the worker's cache of
   * parsed files keeps (steps/parsed-files.ts), handed over as made instead of serialized again.
   */
  serialized?: Uint8Array;
}

/**
 * Parses once, validates against the DTD, reads. Throws only when the XML itself cannot be parsed
 * (ExchangeFileError); a tree the reader refuses comes back with `error`. What readExchangeFile
 * checks before it reads (an empty or tag-less file, a root of no exchange file, the kind's size
 * cap: formats/detect.ts) is said as it says it, so that files fail alike whichever way they are read.
 */
export async function readStsFindings<K extends StsKind>(file: string, bytes: Uint8Array, kind: K): Promise<StsFindings<K>> {
  const xml = await openXml(file, bytes);
  const inner = xml.name === file ? undefined : xml;
  let root: XmlElement;
  try {
    root = parseXmlTree(file, xml.data);
  } catch (error) {
    detectXmlKind(file, xml);
    throw error;
  }
  const { violations, more } = validateStsTree(root, kind);
  const findings: StsFindings<K> = { kind, violations, more, forms: kind === 'edt-sts' ? attributeForms(root) : [] };
  try {
    detectXmlKind(file, xml);
    findings.data = (kind === 'sts-edt' ? stsEmpFromTree(file, root) : empStsFromTree(file, root, inner?.name)) as StsFindings<K>['data'];
  } catch (error) {
    findings.error = error;
  }
  return findings;
}
