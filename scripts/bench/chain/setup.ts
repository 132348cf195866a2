// The bench's setup: which template each bench school copies, the copies themselves, and the
// registration of the schools with the sandbox connector (as provisionSandboxSchool does with a db).
import { uaiCheckLetter, uaiDepartment } from '../../../formats/uai';
import { ACADEMIES } from '../../../generators/calendar-assumptions';
import type { SchoolKind } from '../../../generators/index';
import type { Db } from '../../../db/client';
import { upsertSchools } from '../../../db/queries/schools';
import { calendarZone } from '../../../rules/calendar';
import { pool } from './pool';
import { copySchool, generateTemplates, type Needs, type Template, type TemplateSpec } from './provision';

/** A bench school: its UAI, what it is, whether its élève-groupe file names an unknown group (1 in 10). */
export interface BenchSchool {
  uai: string;
  kind: SchoolKind;
  faulty: boolean;
}

/** Templates per kind: clean ones, and one with the unknown-group fault (8 collèges, 4 lycées at most). */
const CLEAN_TEMPLATES: Record<SchoolKind, number> = { college: 7, lycee: 3 };
const FAULTY_TEMPLATES: Record<SchoolKind, number> = { college: 1, lycee: 1 };

export interface ProvisionFigures {
  templates: number;
  templatesMs: number;
  copiesMs: number;
  bytes: number;
}

function uai(seven: string): string {
  return `${seven}${uaiCheckLetter(seven)}`;
}

/**
 * The templates these schools need: the same département as the schools (UAI's first three characters) (the académie, the
 * calendar zone and hence the file dates follow from the UAI), one set per kind present.
 * Template UAIs end in 99xx: they are generated in their own folder, never registered.
 */
function templateSpecs(schools: readonly BenchSchool[], seedBase: number): TemplateSpec[] {
  const specs: TemplateSpec[] = [];
  // Only the pools some school copies (with a lycée every 4th school, no lycée is among the 1 in 10).
  const wanted = new Set(schools.map((s) => `${s.uai.slice(0, 3)}|${s.kind}|${s.faulty ? 'faulty' : 'clean'}`));
  let k = 0;
  for (const key of [...wanted].sort()) {
    const [prefix, kind, which] = key.split('|') as [string, SchoolKind, 'faulty' | 'clean'];
    const size = which === 'faulty' ? FAULTY_TEMPLATES[kind] : CLEAN_TEMPLATES[kind];
    for (let i = 0; i < size; i++, k++) {
      specs.push({ uai: uai(`${prefix}99${String(k).padStart(2, '0')}`), kind, seed: seedBase + k, faults: which === 'faulty' ? [{ kind: 'unknown-group' }] : [] });
    }
  }
  return specs;
}

function templateFor(templates: readonly Template[], school: BenchSchool, index: number): Template {
  const pool = templates.filter((t) => t.kind === school.kind && t.faulty === school.faulty && t.uai.slice(0, 3) === school.uai.slice(0, 3));
  const template = pool[index % pool.length];
  if (!template) throw new Error(`Aucun modèle pour ${school.uai} (${school.kind}).`);
  return template;
}

/**
 * Writes every school's folder under `dataDir` (templates generated under `templatesDir` first,
 * by the real sandbox, in `processes` child processes). Only what `needs` reads is written.
 */
export async function provisionSchools(options: { dataDir: string; templatesDir: string; schools: readonly BenchSchool[]; needs: Needs; processes: number; seedBase: number }): Promise<ProvisionFigures & { names: Map<string, string> }> {
  const t0 = performance.now();
  const templates = await generateTemplates(options.templatesDir, templateSpecs(options.schools, options.seedBase), options.processes);
  const templatesMs = performance.now() - t0;
  const c0 = performance.now();
  let bytes = 0;
  const names = new Map<string, string>();
  // Copies are a few milliseconds of CPU (a short deflate, CRCs) and a few writes: 8 at a time
  // keeps the disk busy without holding more than a few schools' bytes.
  await pool(options.schools, 8, async (school, index) => {
    const template = templateFor(templates, school, index);
    // Awaited first: `bytes += await …` would read `bytes` before the await and lose the other lanes' sums.
    const written = await copySchool(template, options.dataDir, school.uai, options.needs);
    bytes += written;
    names.set(school.uai, template.name);
  });
  return { templates: templates.length, templatesMs, copiesMs: performance.now() - c0, bytes, names };
}

/** Registers the schools with the sandbox connector, in a few statements (db/queries/schools.ts upsertSchools). */
export async function registerSchools(db: Db, schools: readonly BenchSchool[], names: ReadonlyMap<string, string>): Promise<void> {
  await upsertSchools(db, schools.map((s) => ({
    uai: s.uai, name: names.get(s.uai) ?? s.uai, academie: ACADEMIES[uaiDepartment(s.uai)]?.label ?? 'ACADEMIE', calendarZone: calendarZone(s.uai), connectorKind: 'sandbox',
  })));
}
