// Reads a generated school's files back with the formats/ readers, as the rest of the project
// will: the generators are only useful if their files go through the real readers.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openXml, readSingleXml } from '../../../formats/archive.js';
import { readEleGroupe } from '../../../formats/elegroupe.js';
import { readEmpSts } from '../../../formats/emp-sts.js';
import { readLsuBilans, type LsuReadResult } from '../../../formats/lsu-bilans.js';
import { readSiecleCommuns, readSiecleEleves, readSiecleNomenclature, readSiecleStructures } from '../../../formats/siecle-exports.js';
import { readStsEdt } from '../../../formats/sts-edt.js';
import type { EleGroupeFile, EmpStsFile, LsuBilan, SiecleCommuns, SiecleEleves, SiecleNomenclature, SiecleStructures, StsStructureFile } from '../../../formats/types.js';
import { writeSchoolFolder, type SchoolModel, type WrittenFile } from '../../../generators/index.js';

export interface ReadBack {
  dir: string;
  files: WrittenFile[];
  sts: StsStructureFile;
  edt: EmpStsFile;
  eleves: SiecleEleves;
  structures: SiecleStructures;
  nomenclature: SiecleNomenclature;
  communs: SiecleCommuns;
  eleGroupe: EleGroupeFile;
  eleGroupeXml: Buffer;
  eleGroupeZipName: string;
  lsu?: { path: string; bytes: number; result: LsuReadResult; bilans: LsuBilan[] };
  cleanup(): Promise<void>;
}

export async function writeAndReadBack(model: SchoolModel): Promise<ReadBack> {
  const dir = await mkdtemp(join(tmpdir(), 'synchro-gen-'));
  const files = await writeSchoolFolder(model, dir);
  const bytesOf = (role: WrittenFile['role'], name?: string): Promise<Buffer> => {
    const f = files.find((x) => x.role === role && (name === undefined || x.path.endsWith(name)));
    if (!f) throw new Error(`fichier ${role} ${name ?? ''} absent`);
    return readFile(join(dir, f.path));
  };
  const siecle = async <T>(name: string, read: (file: string, bytes: Uint8Array) => T): Promise<T> => read(name, (await openXml(name, await bytesOf('siecle-export', `ExportXML_${name}.zip`))).data);
  const zipFile = files.find((f) => f.role === 'elegroupe')!;
  const zip = await bytesOf('elegroupe');
  const lsuFile = files.find((f) => f.role === 'lsu');
  let lsu: ReadBack['lsu'];
  if (lsuFile) {
    const bilans: LsuBilan[] = [];
    const path = join(dir, lsuFile.path);
    const result = await readLsuBilans(path, (b) => void bilans.push(b));
    lsu = { path, bytes: lsuFile.bytes, result, bilans };
  }
  return {
    dir,
    files,
    sts: readStsEdt('sts_emp', await bytesOf('sts-emp')),
    edt: readEmpSts('emp_sts', await bytesOf('emp-sts')),
    eleves: await siecle('ElevesSansAdresses', readSiecleEleves),
    structures: await siecle('Structures', readSiecleStructures),
    nomenclature: await siecle('Nomenclature', readSiecleNomenclature),
    communs: await siecle('Communs', readSiecleCommuns),
    eleGroupe: readEleGroupe(zipFile.path, (await openXml(zipFile.path, zip)).data),
    eleGroupeXml: (await readSingleXml(zipFile.path, zip)).data,
    eleGroupeZipName: zipFile.path.replace(/^.*\//, ''),
    ...(lsu && { lsu }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
