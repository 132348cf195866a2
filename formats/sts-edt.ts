// STS-Web → EDT: sts_emp_<UAI>_<ANNEE>.xml (root STS_EDT). Shape shared with edt-sts.ts.
import { readStsStructure } from './sts-structure.js';
import type { StsStructureFile } from './types.js';

export function readStsEdt(file: string, bytes: Uint8Array): StsStructureFile {
  return readStsStructure(file, bytes, 'sts-edt');
}

/** `sts_emp_<UAI>_<ANNEE>.xml` (or .zip, as SACoche accepts) → its UAI and year; undefined otherwise. */
export function parseStsEdtFileName(name: string): { uai: string; millesime: number } | undefined {
  const m = /^sts_emp_(\d{7}[A-Z])_(\d{4})\.(xml|zip)$/i.exec(name.replace(/^.*[\\/]/, ''));
  return m ? { uai: m[1]!.toUpperCase(), millesime: Number(m[2]) } : undefined;
}
