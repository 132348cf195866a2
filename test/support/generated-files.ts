// A generated school's exports written to a folder, as its staff have them on their desktop: the
// first file of each role by path (every SIECLE export listed too), for tests that hand them in.
import path from 'node:path';
import { generateSchool, writeSchoolFolder, type GeneratedSchool } from '../../generators';
import type { FaultSpec } from '../../generators/faults';
import type { SchoolFileRole } from '../../generators/folder';

export interface GeneratedFiles {
  school: GeneratedSchool;
  /** First written file of each role (siecle-export: all of them). */
  byRole: Partial<Record<SchoolFileRole, string>>;
  siecleExports: string[];
}

/** A 60-pupil collège of `uai` for `millesime`, written under `dir`. */
export async function writeGeneratedFiles(dir: string, uai: string, options: { millesime: number; seed?: number; faults?: FaultSpec[] }): Promise<GeneratedFiles> {
  const school = generateSchool({ seed: options.seed ?? 7, kind: 'college', millesime: options.millesime, uai, pupils: 60, faults: options.faults ?? [] });
  const byRole: GeneratedFiles['byRole'] = {};
  const siecleExports: string[] = [];
  for (const f of await writeSchoolFolder(school.model, dir)) {
    byRole[f.role] ??= path.join(dir, f.path);
    if (f.role === 'siecle-export') siecleExports.push(path.join(dir, f.path));
  }
  return { school, byRole, siecleExports };
}
