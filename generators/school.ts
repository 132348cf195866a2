// generateSchool(options): a coherent, seeded school and the faults injected into its exports.
// Same options ⇒ same model ⇒ byte-identical files: no clock, no Math.random().
import type { IsoDateTime } from '../formats/types.js';
import { uaiCheckLetter, uaiDepartment, uaiProblem } from '../formats/uai.js';
import {
  DEFAULT_CALENDAR_TABLE, authorisedPeriod, calendarZone, millesimeOf, periodsOf, schoolYearOfMillesime,
} from '../rules/calendar.js';
import type { CalendarTable } from '../rules/calendar.js';
import { ACADEMIES, defaultPeriodCount, teacherYear } from './calendar-assumptions.js';
import { injectFault } from './faults.js';
import type { FaultSpec, InjectedFault } from './faults.js';
import type { SchoolCalendar, SchoolKind, SchoolModel } from './model.js';
import { MEFS } from './nomenclature.js';
import { eleGroupeOf, lsuOf } from './pronote-exports.js';
import { buildPupils } from './pupils.js';
import { Random } from './random.js';
import { buildDivisions, buildGroups, staffSchool } from './structure.js';

export interface GenerateSchoolOptions {
  seed: number;
  kind: SchoolKind;
  /** SIECLE millésime (2017 = 2017-2018 in metropolitan France, Feb–Dec 2018 in Nouvelle-Calédonie). */
  millesime: number;
  uai?: string;
  /** Default 600 for a collège, 2500 for a lycée. */
  pupils?: number;
  name?: string;
  faults?: FaultSpec[];
  /** Time stamp of every export; default: the evening of the end of the first period. */
  generatedAt?: IsoDateTime;
  /** 3 trimestres or 2 semestres; default 3 in a collège, 2 in a lycée. */
  periods?: 2 | 3;
  /** Build the LSU document of a collège (default true); bigLsuFile streams its own instead. */
  withLsu?: boolean;
}

export interface GeneratedSchool {
  model: SchoolModel;
  injected: InjectedFault[];
}

const DEPARTMENTS = ['075', '069', '013', '033', '059', '093', '031'];
const NAMES: Record<SchoolKind, string[]> = {
  college: ['COLLEGE JEAN MOULIN', 'COLLEGE GEORGE SAND', 'COLLEGE LOUISE MICHEL', 'COLLEGE JULES FERRY', 'COLLEGE ANATOLE FRANCE'],
  lycee: ['LYCEE VICTOR HUGO', 'LYCEE MARIE CURIE', 'LYCEE CONDORCET', 'LYCEE JEAN JAURES', 'LYCEE SIMONE VEIL'],
};

function randomUai(rng: Random): string {
  const seven = `${rng.pick(DEPARTMENTS)}${String(rng.int(0, 9999)).padStart(4, '0')}`;
  return `${seven}${uaiCheckLetter(seven)}`;
}

function calendarOf(uai: string, millesime: number, count: 2 | 3): SchoolCalendar {
  const zone = calendarZone(uai);
  const year = schoolYearOfMillesime('siecle', uai, millesime);
  const table: CalendarTable = {
    ...DEFAULT_CALENDAR_TABLE,
    zones: { ...DEFAULT_CALENDAR_TABLE.zones, [zone]: { ...DEFAULT_CALENDAR_TABLE.zones[zone], defaultPeriodCount: count } },
  };
  const periods = periodsOf(authorisedPeriod(uai, millesime), { zone, table });
  const teachers = teacherYear(zone, year.start, year.end);
  return { start: year.start, end: year.end, teacherStart: teachers.start, teacherEnd: teachers.end, periods };
}

export function generateSchool(options: GenerateSchoolOptions): GeneratedSchool {
  const rng = new Random(options.seed);
  const uai = options.uai ?? randomUai(rng.fork('uai'));
  const problem = uaiProblem(uai);
  if (problem) throw new Error(problem);
  const pupilCount = options.pupils ?? (options.kind === 'college' ? 600 : 2500);
  if (!Number.isInteger(pupilCount) || pupilCount < 8) throw new Error(`Nombre d'élèves invalide : ${pupilCount} (au moins 8).`);
  const calendar = calendarOf(uai, options.millesime, options.periods ?? defaultPeriodCount(options.kind));
  const year = schoolYearOfMillesime('siecle', uai, options.millesime);
  const generatedAt = options.generatedAt ?? `${calendar.periods[0]!.end}T17:45:12`;
  const divisions = buildDivisions(options.kind, pupilCount);
  const groups = buildGroups(options.kind, divisions);
  const { teachers, services } = staffSchool(rng.fork('staff'), divisions, groups, year.rentreeYear);
  const pupils = buildPupils(rng.fork('pupils'), pupilCount, divisions, groups, {
    kind: options.kind,
    calendar,
    previousStart: (back) => schoolYearOfMillesime('siecle', uai, options.millesime - back).start,
    exportDate: generatedAt.slice(0, 10),
  });
  const stsMillesime = millesimeOf('sts-web', year);
  const base = {
    seed: options.seed,
    kind: options.kind,
    uai,
    name: options.name ?? rng.fork('name').pick(NAMES[options.kind]),
    academie: ACADEMIES[uaiDepartment(uai)] ?? { code: '00', label: 'ACADEMIE' },
    millesime: options.millesime,
    stsMillesime,
    calendar,
    generatedAt,
    mefs: [...new Set(divisions.map((d) => d.mef))].filter((m) => MEFS[m] !== undefined),
    subjects: [...new Set(services.map((s) => s.subject))].sort(),
    divisions,
    groups,
    teachers,
    services,
    pupils,
    stamps: {
      sts: { uai, millesime: stsMillesime },
      edt: { uai, millesime: millesimeOf('edt', year) },
      siecle: { uai, millesime: options.millesime },
    },
  };
  const model: SchoolModel = { ...base, eleGroupe: eleGroupeOf(base) };
  if (options.kind === 'college' && options.withLsu !== false) model.lsu = lsuOf(model);
  const injected: InjectedFault[] = [];
  const faultRng = rng.fork('faults');
  const taken = new Set<string>();
  for (const spec of options.faults ?? []) injected.push(...injectFault(model, spec, faultRng, taken));
  return { model, injected };
}
