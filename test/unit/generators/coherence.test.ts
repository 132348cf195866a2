import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEleGroupe, validateLsuBilans } from '../../../formats/schema.js';
import { isValidUai } from '../../../formats/uai.js';
import { readFile } from 'node:fs/promises';
import { generateSchool, lsuBytes } from '../../../generators/index.js';
import { writeAndReadBack, type ReadBack } from './read-back.js';

function unique<T>(values: T[]): boolean {
  return new Set(values).size === values.length;
}

describe('a generated collège, read back by the formats/ readers', () => {
  const { model } = generateSchool({ seed: 11, kind: 'college', millesime: 2017, uai: '0750680G' });
  let files: ReadBack;
  beforeAll(async () => {
    files = await writeAndReadBack(model);
  });
  afterAll(() => files.cleanup());

  it('has the requested size, unique identifiers and a valid UAI', () => {
    expect(files.eleves.pupils).toHaveLength(600);
    expect(isValidUai(model.uai)).toBe(true);
    expect(unique(files.eleves.pupils.map((p) => p.eleveId))).toBe(true);
    expect(unique(files.eleves.pupils.map((p) => p.ine))).toBe(true);
    expect(unique(files.eleves.pupils.map((p) => p.elenoet))).toBe(true);
    for (const p of files.eleves.pupils) {
      expect(p.ine).toMatch(/^\w{11}$/);
      expect(p.elenoet).toMatch(/^\d{5}$/);
      expect(p.mef).toMatch(/^\d{11}$/);
    }
  });

  it('keeps accents through ISO-8859-15', () => {
    const names = files.eleves.pupils.flatMap((p) => [p.firstName, p.firstName2 ?? '']).join(' ');
    expect(names).toMatch(/[éèëïôçÉ]/);
    expect(files.eleGroupe.pupils.some((p) => /[éëï]/.test(p.firstName))).toBe(true);
  });

  it("every pupil's division and groups exist in Structures, every group belongs to known divisions", () => {
    const divisions = new Set(files.structures.divisions.map((d) => d.code));
    const groups = new Set(files.structures.groups.map((g) => g.code));
    for (const p of files.eleves.pupils) {
      for (const d of p.divisions) expect(divisions.has(d), d).toBe(true);
      for (const g of p.groups) expect(groups.has(g), g).toBe(true);
    }
    for (const g of files.structures.groups) {
      expect(g.code.length).toBeLessThanOrEqual(8);
      for (const d of g.divisions) expect(divisions.has(d)).toBe(true);
    }
    expect(files.structures.groups.some((g) => g.divisions.length >= 2)).toBe(true);
  });

  it('every service names a teacher of STS and a subject of the Nomenclature; every division has a professeur principal', () => {
    const teachers = new Set(files.sts.teachers.map((t) => t.id));
    const subjects = new Set(files.nomenclature.subjects.map((s) => s.code));
    const services = [...files.sts.divisions, ...files.sts.groups].flatMap((s) => s.services);
    expect(services.length).toBeGreaterThan(100);
    for (const s of services) {
      expect(subjects.has(s.subjectCode), s.subjectCode).toBe(true);
      for (const t of s.teachers) expect(teachers.has(t.id), t.id).toBe(true);
    }
    const pp = new Set(files.sts.teachers.flatMap((t) => t.mainTeacherOf));
    for (const d of files.sts.divisions) expect(pp.has(d.code), d.code).toBe(true);
    expect(new Set(files.sts.teachers.map((t) => t.type))).toEqual(new Set(['epp', 'local']));
  });

  it('uses real codes: MEFs of the Nomenclature, français 020700, anglais LV1 030201, maths 061300', () => {
    const mefs = new Set(files.nomenclature.mefs.map((m) => m.code));
    for (const d of files.structures.divisions) for (const m of d.mefs) expect(mefs.has(m)).toBe(true);
    expect(mefs).toEqual(new Set(['10010012110', '10110001110', '10210001110', '10310019110']));
    const subjects = files.nomenclature.subjects.map((s) => s.code);
    expect(subjects).toEqual(expect.arrayContaining(['020700', '030201', '061300']));
  });

  it('élève-groupe: pupils known to SIECLE, groups known to Structures, dates inside the school year', () => {
    const pupils = new Set(files.eleves.pupils.map((p) => p.eleveId));
    const groups = new Set(files.structures.groups.map((g) => g.code));
    const { start, end } = files.communs.schoolYear;
    for (const p of files.eleGroupe.pupils) {
      expect(pupils.has(p.id.value)).toBe(true);
      for (const g of p.groups) {
        expect(groups.has(g.code)).toBe(true);
        expect(g.start! >= start && g.start! <= end).toBe(true);
        if (g.end !== undefined) expect(g.end >= g.start! && g.end <= end).toBe(true);
      }
    }
    expect(files.eleGroupe.header).toMatchObject({ uai: '0750680G', millesime: 2017 });
    expect(files.eleGroupeZipName).toMatch(/^0750680GELEGROUPE2017\d{12}\.zip$/);
  });

  it('a few pupils arrive or leave during the year', () => {
    expect(files.eleves.pupils.some((p) => p.leavingDate !== undefined)).toBe(true);
    expect(files.eleves.pupils.some((p) => p.entryDate! > files.communs.schoolYear.start)).toBe(true);
  });

  it('metropolitan calendar: rentrée on the first Monday of September, DATE_FIN_ELEVE 31/08, three trimestres', () => {
    expect(files.communs.schoolYear).toMatchObject({ start: '2017-09-04', end: '2018-08-31' });
    expect(files.communs.periods.map((p) => p.code)).toEqual(['T1', 'T2', 'T3']);
    expect(files.sts.header.millesime).toBe(2017);
    expect(files.files.map((f) => f.path)).toContain('sts/sts_emp_0750680G_2017.xml');
    expect(files.edt.applicationSource).toBeDefined();
    expect(files.edt).toMatchObject({ header: { kind: 'edt-sts', uai: '0750680G', millesime: 2017 }, yearFrom: 'ANNEE_SCOLAIRE' });
  });

  it('LSU: bilans of the first period for every present pupil, cycle 4 for the 3e, STS teachers only', () => {
    const lsu = files.lsu!;
    expect(lsu.result.header).toMatchObject({ uai: '0750680G', millesime: 2017 });
    const present = files.eleves.pupils.filter((p) => p.leavingDate === undefined).length;
    expect(lsu.result.counts.periodic).toBe(present);
    expect(lsu.result.counts.cycle).toBe(files.eleves.pupils.filter((p) => p.divisions[0]!.startsWith('3') && p.leavingDate === undefined).length);
    const sts = new Set(files.sts.teachers.map((t) => t.id));
    for (const t of lsu.result.referentials.teachers.values()) expect(sts.has(t.idSts!)).toBe(true);
    const siecle = new Set(files.eleves.pupils.map((p) => p.eleveId));
    for (const p of lsu.result.referentials.pupils.values()) expect(siecle.has(p.idBe)).toBe(true);
  });

  it('the élève-groupe and LSU files validate against their official schemas', async () => {
    expect(await validateEleGroupe('elegroupe', files.eleGroupeXml)).toEqual({ valid: true, errors: [] });
    expect(await validateLsuBilans('lsu', await readFile(files.lsu!.path))).toEqual({ valid: true, errors: [] });
  });
});

describe('a Nouvelle-Calédonie collège (seed 004: 9830418M)', () => {
  const { model } = generateSchool({ seed: 4, kind: 'college', millesime: 2017, uai: '9830418M', pupils: 120 });
  let files: ReadBack;
  beforeAll(async () => {
    files = await writeAndReadBack(model);
  });
  afterAll(() => files.cleanup());

  it('runs February–December: SIECLE millésime 2017 = 19/02/2018 → 14/12/2018, STS-Web calls it 2018', () => {
    expect(files.communs.header.millesime).toBe(2017);
    expect(files.communs.schoolYear).toEqual({ start: '2018-02-19', end: '2018-12-14', teacherStart: '2018-02-16', teacherEnd: '2018-12-15' });
    expect(files.files.map((f) => f.path)).toContain('sts/sts_emp_9830418M_2018.xml');
    expect(files.sts.header.millesime).toBe(2018);
    expect(files.eleGroupe.header.millesime).toBe(2017);
    expect(files.eleGroupeZipName).toMatch(/^9830418MELEGROUPE2017/);
    expect(files.lsu!.result.header.millesime).toBe(2017);
  });
});

describe('a 2,500-pupil lycée', () => {
  const { model } = generateSchool({ seed: 5, kind: 'lycee', millesime: 2019 });

  it('has 2nde, 1re and Tle divisions with real MEFs, cross-class spécialités and no LSU file', async () => {
    const files = await writeAndReadBack(model);
    try {
      expect(files.eleves.pupils).toHaveLength(2500);
      expect(new Set(files.structures.divisions.flatMap((d) => d.mefs))).toEqual(new Set(['20010018110', '20110019110', '21131016110', '20211010110', '20212005110', '21239903110']));
      const spe = files.structures.groups.filter((g) => g.code.startsWith('1MATHS'));
      expect(spe.length).toBeGreaterThan(0);
      expect(spe[0]!.divisions.length).toBeGreaterThan(2);
      expect(files.communs.periods.map((p) => p.code)).toEqual(['S1', 'S2']);
      expect(files.lsu).toBeUndefined();
      const groups = new Set(files.structures.groups.map((g) => g.code));
      for (const p of files.eleves.pupils) for (const g of p.groups) expect(groups.has(g)).toBe(true);
    } finally {
      await files.cleanup();
    }
  });
});

describe('a recent collège', () => {
  it('writes LSU schemaVersion 10.0 and the file validates against the 2025 schema', async () => {
    const { model } = generateSchool({ seed: 2, kind: 'college', millesime: 2024, pupils: 60 });
    expect(model.lsu!.schemaVersion).toBe('10.0');
    expect(await validateLsuBilans('lsu', await lsuBytes(model))).toEqual({ valid: true, errors: [] });
  });
});
