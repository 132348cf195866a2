// Divisions, groups, teachers and services of a generated school: what STS-Web holds and pushes
// to SIECLE (step 4a/4b of the chain) and what EDT reads (step 1).
import { HALF_CLASS_SUBJECT, LATIN, LV2_SUBJECTS, SPECIALITES_1G, SUBJECTS, TRONC_COMMUN } from './nomenclature.js';
import type { Division, Group, SchoolKind, Service, Teacher } from './model.js';
import { BOYS_FIRST_NAMES, GIRLS_FIRST_NAMES, LAST_NAMES } from './names.js';
import type { Random } from './random.js';

/** Pupils per division: the usual caps (collège ~27, lycée ~35). */
const CLASS_SIZE: Record<SchoolKind, number> = { college: 27, lycee: 35 };
/** Weekly service of a full-time teacher (certifié). */
const TEACHER_HOURS = 18;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

interface Track {
  level: number;
  mef: string;
  /** Division code prefix and label prefix. */
  prefix: string;
  label: string;
  share: number;
}

const TRACKS: Record<SchoolKind, Track[]> = {
  college: [
    { level: 6, mef: '10010012110', prefix: '6', label: '6EME', share: 0.25 },
    { level: 5, mef: '10110001110', prefix: '5', label: '5EME', share: 0.25 },
    { level: 4, mef: '10210001110', prefix: '4', label: '4EME', share: 0.25 },
    { level: 3, mef: '10310019110', prefix: '3', label: '3EME', share: 0.25 },
  ],
  lycee: [
    { level: 2, mef: '20010018110', prefix: '2DE', label: '2NDE', share: 0.36 },
    { level: 1, mef: '20110019110', prefix: '1G', label: '1ERE G', share: 0.26 },
    { level: 1, mef: '21131016110', prefix: '1STMG', label: '1ERE STMG', share: 0.07 },
    { level: 0, mef: '20211010110', prefix: 'TS', label: 'TERM S', share: 0.12 },
    { level: 0, mef: '20212005110', prefix: 'TES', label: 'TERM ES', share: 0.12 },
    { level: 0, mef: '21239903110', prefix: 'TSTMG', label: 'TERM STMG', share: 0.07 },
  ],
};

/** Division codes stay ≤ 8 characters (SIECLE CODE_STRUCTURE): "6 A" in a collège, "2DE07" in a lycée. */
function divisionCode(kind: SchoolKind, prefix: string, index: number, count: number): string {
  if (kind === 'college' && count <= LETTERS.length) return `${prefix} ${LETTERS.charAt(index)}`;
  return `${prefix}${String(index + 1).padStart(count > 9 ? 2 : 1, '0')}`;
}

export function buildDivisions(kind: SchoolKind, pupils: number): Division[] {
  const divisions: Division[] = [];
  for (const track of TRACKS[kind]) {
    const count = Math.max(1, Math.round((pupils * track.share) / CLASS_SIZE[kind]));
    for (let i = 0; i < count; i++) {
      const code = divisionCode(kind, track.prefix, i, count);
      const suffix = code.slice(track.prefix.length).trim();
      divisions.push({ code, label: `${track.label} ${suffix}`.slice(0, 20), mef: track.mef, level: track.level });
    }
  }
  return divisions;
}

const LEVEL_TAG: Record<number, string> = { 6: '6', 5: '5', 4: '4', 3: '3', 2: '2', 1: '1', 0: 'T' };
const SPECIALITE_TAG: Record<string, string> = { '061300': 'MATHS', '062300': 'PC', '062900': 'SVT', '043900': 'HGGSP', '050700': 'SES', '074700': 'NSI' };

function groupOf(code: string, label: string, members: Division[], purpose: Group['purpose'], subject: string): Group {
  return { code, label, divisions: members.map((d) => d.code), mefs: [...new Set(members.map((d) => d.mef))], purpose, subject };
}

/**
 * Groups: half classes (physique-chimie TP, collège and 2nde), LV2 groups over two divisions of a
 * level (cross-class, several DIVISIONS_APPARTENANCE), Latin over a whole level, spécialités of 1re
 * générale over all its divisions. Codes ≤ 8 characters, like SIECLE's.
 */
export function buildGroups(kind: SchoolKind, divisions: Division[]): Group[] {
  const groups: Group[] = [];
  for (const d of divisions) {
    if (kind === 'college' || d.level === 2) {
      for (const half of [1, 2]) groups.push(groupOf(`${d.code.replace(' ', '')}G${half}`, `${d.label} groupe ${half}`, [d], 'half-class', HALF_CLASS_SUBJECT));
    }
  }
  const levels = [...new Set(divisions.map((d) => d.level))];
  for (const level of levels) {
    if (kind === 'college' && level === 6) continue; // LV2 starts in 5e
    const atLevel = divisions.filter((d) => d.level === level && (kind === 'college' || d.mef !== '21131016110'));
    for (let i = 0; i < atLevel.length; i += 2) {
      const pair = atLevel.slice(i, i + 2);
      const n = String(i / 2 + 1).padStart(2, '0');
      for (const subject of LV2_SUBJECTS) {
        const lang = subject === '030602' ? 'ESP' : 'ALL';
        groups.push(groupOf(`${LEVEL_TAG[level]}${lang}${n}`, `${SUBJECTS[subject]!.editionLabel} ${LEVEL_TAG[level]} gr ${n}`, pair, 'lv2', subject));
      }
    }
    if (kind === 'college') groups.push(groupOf(`${level}LATIN`, `Latin ${level}e`, atLevel, 'option', LATIN));
  }
  const premieres = divisions.filter((d) => d.mef === '20110019110');
  if (premieres.length > 0) {
    // Each pupil of 1re générale takes 3 spécialités out of 6: about half of them per spécialité.
    const perSpecialite = Math.ceil((premieres.length * CLASS_SIZE.lycee) / 2 / 30);
    for (const subject of SPECIALITES_1G) {
      for (let n = 1; n <= Math.max(1, Math.min(perSpecialite, 9)); n++) {
        groups.push(groupOf(`1${SPECIALITE_TAG[subject]}${n}`, `Spé ${SUBJECTS[subject]!.shortLabel} ${n}`.slice(0, 20), premieres, 'specialite', subject));
      }
    }
  }
  return groups;
}

/** Services before teachers are assigned: tronc commun per division, one service per group. */
function serviceNeeds(divisions: Division[], groups: Group[]): Service[] {
  const services: Service[] = [];
  for (const d of divisions) {
    for (const [subject, hours] of TRONC_COMMUN[d.mef] ?? []) {
      services.push({ structure: d.code, structureKind: 'division', subject, courseMode: 'CG', modalite: 'S', hours, teacherIds: [] });
    }
  }
  for (const g of groups) {
    const modalite = g.purpose === 'option' ? 'F' : g.purpose === 'half-class' ? 'S' : 'O';
    const hours = g.purpose === 'half-class' ? 1 : g.purpose === 'specialite' ? 4 : 2.5;
    services.push({ structure: g.code, structureKind: 'group', subject: g.subject, courseMode: g.purpose === 'half-class' ? 'TP' : 'CG', modalite, hours, teacherIds: [] });
  }
  return services;
}

function newTeacher(rng: Random, id: string, subject: string, birthYearBase: number): Teacher {
  const sex = rng.chance(0.6) ? '2' : '1';
  return {
    id,
    // A few teachers are added locally in STS (contractuels), most come from the académie's HR base.
    type: rng.chance(0.08) ? 'local' : 'epp',
    sex,
    civility: sex === '2' ? 'MME' : 'M.',
    lastName: rng.pick(LAST_NAMES),
    firstName: rng.pick(sex === '2' ? GIRLS_FIRST_NAMES : BOYS_FIRST_NAMES),
    birthDate: `${birthYearBase - rng.int(24, 60)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    subject,
    mainTeacherOf: [],
  };
}

/**
 * Teachers per subject (enough for 18 h each), services assigned to the least loaded teacher of
 * the subject (the half-class TP goes to the division's teacher), and one professeur principal
 * per division among the teachers of that division.
 */
export function staffSchool(rng: Random, divisions: Division[], groups: Group[], year: number): { teachers: Teacher[]; services: Service[] } {
  const services = serviceNeeds(divisions, groups);
  const hoursBySubject = new Map<string, number>();
  for (const s of services) hoursBySubject.set(s.subject, (hoursBySubject.get(s.subject) ?? 0) + s.hours);
  const teachers: Teacher[] = [];
  const bySubject = new Map<string, Teacher[]>();
  let nextId = rng.int(1000, 30000);
  for (const subject of [...hoursBySubject.keys()].sort()) {
    const count = Math.max(1, Math.ceil(hoursBySubject.get(subject)! / TEACHER_HOURS));
    const list: Teacher[] = [];
    for (let i = 0; i < count; i++) {
      nextId += rng.int(1, 40);
      list.push(newTeacher(rng, String(nextId), subject, year));
    }
    bySubject.set(subject, list);
    teachers.push(...list);
  }
  const load = new Map<string, number>();
  const divisionTeacher = new Map<string, string>();
  const groupByCode = new Map(groups.map((g) => [g.code, g]));
  for (const s of services) {
    const group = s.structureKind === 'group' ? groupByCode.get(s.structure) : undefined;
    const sameAsDivision = group?.purpose === 'half-class' ? divisionTeacher.get(`${group.divisions[0]}|${s.subject}`) : undefined;
    const chosen = sameAsDivision ?? [...bySubject.get(s.subject)!].sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0))[0]!.id;
    s.teacherIds.push(chosen);
    load.set(chosen, (load.get(chosen) ?? 0) + s.hours);
    if (s.structureKind === 'division') divisionTeacher.set(`${s.structure}|${s.subject}`, chosen);
  }
  const byId = new Map(teachers.map((t) => [t.id, t]));
  const byStructure = new Map<string, string[]>();
  for (const s of services) byStructure.set(s.structure, [...(byStructure.get(s.structure) ?? []), ...s.teacherIds]);
  for (const d of divisions) {
    const candidates = byStructure.get(d.code) ?? [];
    const free = candidates.filter((id) => byId.get(id)!.mainTeacherOf.length === 0);
    byId.get(rng.pick(free.length > 0 ? free : candidates))!.mainTeacherOf.push(d.code);
  }
  return { teachers, services };
}
