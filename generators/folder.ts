// writeSchoolFolder: every file of a generated school under one folder, one subfolder per
// application that produces it (sts/, edt/, siecle/, pronote/, lsu/), as a school's staff would
// have them on their desktop after the exports.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SchoolModel } from './model.js';
import { writeSiecleExports } from './write-siecle.js';
import { lsuFileName, writePronoteEleGroupe, writePronoteLsu } from './write-pronote.js';
import { writeEmpSts, writeStsEmp } from './write-sts.js';

export type SchoolFileRole = 'sts-emp' | 'emp-sts' | 'siecle-export' | 'elegroupe' | 'lsu';

export interface WrittenFile {
  role: SchoolFileRole;
  /** Path relative to the folder, with '/' separators (e.g. "siecle/ExportXML_Structures.zip"). */
  path: string;
  bytes: number;
}

export async function writeSchoolFolder(model: SchoolModel, dir: string): Promise<WrittenFile[]> {
  const written: WrittenFile[] = [];
  const put = async (role: SchoolFileRole, sub: string, name: string, data: Buffer): Promise<void> => {
    await mkdir(join(dir, sub), { recursive: true });
    await writeFile(join(dir, sub, name), data);
    written.push({ role, path: `${sub}/${name}`, bytes: data.length });
  };
  const sts = writeStsEmp(model);
  await put('sts-emp', 'sts', sts.name, sts.data);
  const edt = writeEmpSts(model);
  await put('emp-sts', 'edt', edt.name, edt.data);
  for (const zip of writeSiecleExports(model)) await put('siecle-export', 'siecle', zip.name, zip.data);
  const eleGroupe = writePronoteEleGroupe(model);
  await put('elegroupe', 'pronote', eleGroupe.zipName, eleGroupe.zip);
  if (model.lsu) {
    await mkdir(join(dir, 'lsu'), { recursive: true });
    const name = lsuFileName(model.generatedAt);
    const { bytes } = await writePronoteLsu(model.lsu, join(dir, 'lsu', name));
    written.push({ role: 'lsu', path: `lsu/${name}`, bytes });
  }
  return written;
}
