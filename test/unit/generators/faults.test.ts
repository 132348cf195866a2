// Each injected fault must be in the files as declared: the project's own rules (the nightly
// SIECLE simulation, the deposit checks, the LSU import report) find it at the declared pupil,
// group or teacher, with the declared code; and a school without faults gives none of them.
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../rules/anomaly.js';
import { checkEleGroupeDeposit } from '../../../rules/deposit.js';
import { simulateEleGroupeImport } from '../../../rules/elegroupe-import.js';
import { createLsuImportChecker } from '../../../rules/lsu-import.js';
import { readLsuBilans } from '../../../formats/lsu-bilans.js';
import { validateEleGroupe } from '../../../formats/schema.js';
import { FAULT_KINDS, generateSchool, type FaultSpec, type InjectedFault } from '../../../generators/index.js';
import { writeAndReadBack, type ReadBack } from './read-back.js';

async function eleGroupeAnomalies(files: ReadBack): Promise<Anomaly[]> {
  const night = simulateEleGroupeImport(files.eleGroupe, { eleves: files.eleves, structures: files.structures, communs: files.communs });
  const deposit = checkEleGroupeDeposit({
    zipName: files.eleGroupeZipName,
    xmlName: files.eleGroupeZipName.replace(/\.zip$/, '.xml'),
    schema: await validateEleGroupe('elegroupe', files.eleGroupeXml),
    file: files.eleGroupe,
    schoolUai: files.eleves.header.uai,
    on: files.eleves.header.exportedAt!.slice(0, 10),
    baseInUse: files.eleves.header.millesime,
  });
  return [...deposit.anomalies, ...night.anomalies];
}

async function lsuAnomalies(files: ReadBack): Promise<Anomaly[]> {
  const checker = createLsuImportChecker({
    file: 'lsu', uai: files.eleves.header.uai, on: files.eleves.header.exportedAt!.slice(0, 10),
    eleves: files.eleves, structures: files.structures, communs: files.communs, nomenclature: files.nomenclature, sts: files.sts,
  });
  const result = await readLsuBilans(files.lsu!.path, (b, refs) => checker.onBilan(b, refs));
  return checker.finish(result.header).anomalies;
}

function matches(a: Anomaly, f: InjectedFault): boolean {
  const code = a.code === f.code || a.label === f.code;
  return code && (f.eleveId === undefined || a.subject?.pupilId === f.eleveId || a.subject?.pupilId === `EL${f.eleveId}`)
    && (f.group === undefined || a.subject?.groupCode === f.group);
}

async function generated(faults: FaultSpec[]): Promise<{ injected: InjectedFault[]; files: ReadBack }> {
  const { model, injected } = generateSchool({ seed: 21, kind: 'college', millesime: 2017, uai: '0750680G', pupils: 120, faults });
  return { injected, files: await writeAndReadBack(model) };
}

describe('fault injection', () => {
  it('a school without faults passes the deposit, the night and the LSU import without error', async () => {
    const { files } = await generated([]);
    try {
      const serious = (list: Anomaly[]): Anomaly[] => list.filter((a) => a.level !== 'info');
      expect(serious(await eleGroupeAnomalies(files))).toEqual([]);
      expect(serious(await lsuAnomalies(files))).toEqual([]);
    } finally {
      await files.cleanup();
    }
  });

  const siecleFaults: [FaultSpec, string[]][] = [
    [{ kind: 'unknown-group' }, ['GROUPE_A_01']],
    [{ kind: 'date-outside-calendar' }, ['ELEGRP_A_03', 'ELEGRP_A_02']],
    [{ kind: 'start-after-end' }, ['ELEGRP_A_01']],
    [{ kind: 'pupil-not-enrolled' }, ['REJELEGROUPE_01']],
    [{ kind: 'duplicate-pupil' }, ['REJELEGROUPE_03']],
    [{ kind: 'group-not-in-mef' }, ['GROUPE_B_02']],
    [{ kind: 'pupil-without-mef' }, ['GROUPE_B_01']],
    [{ kind: 'wrong-millesime' }, ['DEPOT_ANNEE']],
    [{ kind: 'wrong-uai' }, ['DEPOT_UAI']],
  ];
  for (const [spec, codes] of siecleFaults) {
    it(`${spec.kind}: declared as ${codes.join(', ')} and reported so by the élève-groupe rules`, async () => {
      const { injected, files } = await generated([spec]);
      try {
        expect(injected.map((f) => f.code)).toEqual(codes);
        const anomalies = await eleGroupeAnomalies(files);
        for (const fault of injected) expect(anomalies.some((a) => matches(a, fault)), JSON.stringify(fault)).toBe(true);
      } finally {
        await files.cleanup();
      }
    });
  }

  const lsuFaults: [FaultSpec, string][] = [
    [{ kind: 'unknown-teacher' }, 'Enseignant inconnu'],
    [{ kind: 'pupil-not-enrolled', file: 'lsu' }, 'Élève non scolarisé'],
  ];
  for (const [spec, label] of lsuFaults) {
    it(`${spec.kind} in LSU: reported as « ${label} » by the LSU import`, async () => {
      const { injected, files } = await generated([spec]);
      try {
        expect(injected).toHaveLength(1);
        expect(injected[0]).toMatchObject({ file: 'lsu', code: label });
        const anomalies = await lsuAnomalies(files);
        expect(anomalies.some((a) => a.label === label), JSON.stringify(anomalies.slice(0, 3))).toBe(true);
        if (injected[0]!.teacherId) expect(files.sts.teachers.some((t) => t.id === injected[0]!.teacherId)).toBe(false);
      } finally {
        await files.cleanup();
      }
    });
  }

  it('several faults together land on different pupils, and every kind is known', () => {
    const { injected } = generateSchool({ seed: 3, kind: 'college', millesime: 2017, pupils: 200, faults: FAULT_KINDS.map((kind) => ({ kind })) });
    const pupils = injected.map((f) => f.eleveId).filter((id) => id !== undefined);
    expect(new Set(pupils).size).toBe(pupils.length);
    expect(new Set(injected.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
  });

  it('refuses an LSU fault in a lycée (no LSU there) with a French message', () => {
    expect(() => generateSchool({ seed: 1, kind: 'lycee', millesime: 2019, pupils: 100, faults: [{ kind: 'unknown-teacher' }] })).toThrow(/lycée/);
  });
});
