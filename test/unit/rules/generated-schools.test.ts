// Generated schools with injected faults must give EXACTLY the expected reports: every injected
// fault found (code + pupil), nothing else above "info". Data goes through the real writers and readers.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readEleGroupe } from '../../../formats/elegroupe.js';
import { readLsuBilans } from '../../../formats/lsu-bilans.js';
import { readSiecleCommuns, readSiecleEleves, readSiecleNomenclature, readSiecleStructures } from '../../../formats/siecle-exports.js';
import { readStsEdt } from '../../../formats/sts-edt.js';
import { generateSchool, lsuBytes, siecleExportXml, writePronoteEleGroupe, writeStsEmp, type FaultSpec, type GeneratedSchool } from '../../../generators/index.js';
import type { Anomaly } from '../../../rules/anomaly.js';
import { checkEleGroupeDeposit } from '../../../rules/deposit.js';
import { simulateEleGroupeImport } from '../../../rules/elegroupe-import.js';
import { createLsuImportChecker } from '../../../rules/lsu-import.js';

function siecle(school: GeneratedSchool) {
  const { model } = school;
  return {
    eleves: readSiecleEleves('ElevesSansAdresses.xml', siecleExportXml(model, 'ElevesSansAdresses')),
    structures: readSiecleStructures('Structures.xml', siecleExportXml(model, 'Structures')),
    communs: readSiecleCommuns('Communs.xml', siecleExportXml(model, 'Communs')),
    nomenclature: readSiecleNomenclature('Nomenclature.xml', siecleExportXml(model, 'Nomenclature')),
  };
}

const found = (anomalies: Anomaly[]): string[] => anomalies.filter((a) => a.level !== 'info').map((a) => `${a.label && a.code.startsWith('LSU_') ? a.label : a.code}@${a.subject?.pupilId ?? ''}`).sort();
const expected = (school: GeneratedSchool): string[] => school.injected.map((f) => `${f.code}@${f.eleveId ?? ''}`).sort();

function eleGroupeReport(school: GeneratedSchool): Anomaly[] {
  const written = writePronoteEleGroupe(school.model);
  const file = readEleGroupe(written.zipName, written.xml);
  const on = school.model.generatedAt.slice(0, 10);
  const deposit = checkEleGroupeDeposit({ zipName: written.zipName, xmlName: written.xmlName, file, schoolUai: school.model.uai, on });
  if (!deposit.accepted) return deposit.anomalies;
  return [...deposit.anomalies, ...simulateEleGroupeImport(file, { ...siecle(school), fileName: written.zipName }).anomalies];
}

async function lsuReport(school: GeneratedSchool): Promise<Anomaly[]> {
  const { model } = school;
  const sts = readStsEdt('sts_emp.xml', writeStsEmp(model).data);
  const checker = createLsuImportChecker({ uai: model.uai, on: model.generatedAt.slice(0, 10), file: 'import_lsu.xml', sts, ...siecle(school) });
  const result = await readLsuBilans(Readable.from([await lsuBytes(model)]), (b, refs) => checker.onBilan(b, refs));
  return checker.finish(result.header).anomalies;
}

const ELEGROUPE_FAULTS: FaultSpec['kind'][] = ['unknown-group', 'date-outside-calendar', 'start-after-end', 'pupil-not-enrolled', 'duplicate-pupil', 'group-not-in-mef', 'pupil-without-mef'];

describe('generated schools: élève-groupe', () => {
  it('a clean collège and a clean NC collège give no anomaly at all', () => {
    for (const uai of [undefined, '9830418M']) {
      const school = generateSchool({ seed: 11, kind: 'college', millesime: 2017, pupils: 120, ...(uai && { uai }), withLsu: false });
      expect(found(eleGroupeReport(school))).toEqual([]);
    }
  });

  it.each(ELEGROUPE_FAULTS)('fault %s gives exactly the expected code for the expected pupil', (kind) => {
    const school = generateSchool({ seed: 5, kind: 'college', millesime: 2017, pupils: 120, faults: [{ kind }], withLsu: false });
    expect(found(eleGroupeReport(school))).toEqual(expected(school));
  });

  it('all faults at once in a Nouvelle-Calédonie lycée', () => {
    const school = generateSchool({ seed: 9, kind: 'lycee', millesime: 2017, uai: '9830418M', pupils: 300, faults: ELEGROUPE_FAULTS.map((kind) => ({ kind })) });
    expect(found(eleGroupeReport(school))).toEqual(expected(school));
  });

  it.each(['wrong-millesime', 'wrong-uai'] as const)('fault %s is refused at deposit', (kind) => {
    const school = generateSchool({ seed: 3, kind: 'college', millesime: 2017, pupils: 60, faults: [{ kind }], withLsu: false });
    const anomalies = eleGroupeReport(school);
    expect(anomalies.map((a) => a.code)).toContain(school.injected[0]?.code);
    expect(anomalies.every((a) => a.level === 'blocking' || a.level === 'info')).toBe(true);
  });
});

describe('generated schools: LSU', () => {
  it('a clean collège imports every bilan without alert', async () => {
    const school = generateSchool({ seed: 21, kind: 'college', millesime: 2022, pupils: 120 });
    expect(found(await lsuReport(school))).toEqual([]);
  });

  it('a file of the next millésime is "Année scolaire incohérente" (rejected bilans), of another school Bloquant', async () => {
    const late = generateSchool({ seed: 23, kind: 'college', millesime: 2022, pupils: 60, faults: [{ kind: 'wrong-millesime', file: 'lsu' }] });
    const labels = new Set((await lsuReport(late)).filter((a) => a.level === 'error').map((a) => a.label));
    expect([...labels]).toEqual([late.injected[0]?.code]);
    const other = generateSchool({ seed: 24, kind: 'college', millesime: 2022, pupils: 60, faults: [{ kind: 'wrong-uai', file: 'lsu' }] });
    expect((await lsuReport(other)).map((a) => [a.code, a.level])).toEqual([[other.injected[0]?.code, 'blocking']]);
  });

  it.each([{ kind: 'unknown-teacher' }, { kind: 'pupil-not-enrolled', file: 'lsu' }] as FaultSpec[])('fault $kind gives exactly the expected label for the expected pupil', async (fault) => {
    const school = generateSchool({ seed: 22, kind: 'college', millesime: 2022, pupils: 120, faults: [fault] });
    expect(found(await lsuReport(school))).toEqual(expected(school));
  });
});
