// EDT → STS-Web: emp_sts_<UAI>_<ANNEE>.xml (root EDT_STS, with PARAMETRES/APPLICATION_SOURCE, the
// private timetable software). Same shape as sts_emp: the reader is shared (sts-structure.ts).
import { readStsStructure } from './sts-structure.js';
import type { StsStructureFile } from './types.js';

export function readEdtSts(file: string, bytes: Uint8Array): StsStructureFile {
  return readStsStructure(file, bytes, 'edt-sts');
}

export function parseEdtStsFileName(name: string): { uai: string; millesime: number } | undefined {
  const m = /^emp_sts_(\d{7}[A-Z])_(\d{4})\.(xml|zip)$/i.exec(name.replace(/^.*[\\/]/, ''));
  return m ? { uai: m[1]!.toUpperCase(), millesime: Number(m[2]) } : undefined;
}
