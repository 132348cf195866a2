// A school with injected faults: each step reports exactly what the generator announces, at the
// step that should report it (élève-groupe faults at SIECLE's night, LSU faults at the bilans import).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepRejected } from '../../../activities/step-run';
import { createSandboxConnector, provisionSandboxSchool } from '../../../connectors/sandbox';
import type { Connector } from '../../../connectors/types';
import type { InjectedFault } from '../../../generators/index';
import type { Anomaly } from '../../../rules/anomaly';
import { openSandboxSchool } from '../../support/sandbox-school';
import { openHarness, request, SCHOOLS, type Harness } from '../../support/step-harness';
import { runStepOn } from '../../../activities/step-ports';

const school = SCHOOLS[0];
/** What a fault and an anomaly are compared by: the code (or LSU label) and the pupil concerned. */
const key = (code: string, pupil: string | undefined): string => `${code}|${pupil ?? ''}`;
const announced = (faults: InjectedFault[], file: InjectedFault['file']): string[] => faults.filter((f) => f.file === file).map((f) => key(f.code, f.eleveId)).sort();
const reported = (anomalies: Anomaly[]): string[] => anomalies.filter((a) => a.level !== 'info').map((a) => key(a.label === 'Enseignant inconnu' ? a.label : a.code, a.subject?.pupilId)).sort();

describe('a sandbox school with injected faults', () => {
  let h: Harness;
  let connector: Connector;
  let injected: InjectedFault[];
  beforeAll(async () => {
    ({ h, connector, provisioned: { injected } } = await openSandboxSchool(school, {
      seed: 11, faults: [{ kind: 'unknown-group' }, { kind: 'date-outside-calendar' }, { kind: 'unknown-teacher' }],
    }));
  });
  afterAll(() => h.close());

  it('the generator announces one fault per pupil, in the élève-groupe and LSU files', () => {
    expect(injected.map((f) => f.code).sort()).toEqual(['ELEGRP_A_02', 'ELEGRP_A_03', 'Enseignant inconnu', 'GROUPE_A_01']);
  });

  it('the élève-groupe deposit is accepted (SIECLE finds these only at night)', async () => {
    const day = await runStepOn(h, connector, request(school, 'pronote-siecle-elegroupe'), h.env);
    expect(day.kind).toBe('queued-for-night');
    if (day.kind === 'queued-for-night') expect(reported(day.anomalies)).toEqual([]);
  });

  it("SIECLE's night reports exactly the élève-groupe faults", async () => {
    const night = await connector.processNight({ uai: school.uai, millesime: school.millesime, night: school.businessDate, businessDate: school.businessDate }, h.env);
    expect(night.processed).toBe(true);
    expect(reported(night.anomalies)).toEqual(announced(injected, 'elegroupe'));
    expect(night.counts?.partial).toBe(3);
  });

  it('the LSU import reports exactly the LSU faults, and the step is done', async () => {
    const outcome = await runStepOn(h, connector, request(school, 'lsu-bilans', 1), h.env);
    expect(outcome.kind).toBe('done');
    if (outcome.kind === 'done') expect(reported(outcome.anomalies)).toEqual(announced(injected, 'lsu'));
  });
});

describe('an élève-groupe file of another school', () => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(); });
  afterAll(() => h.close());

  it("is refused at deposit with SIECLE's messages: StepRejected, nothing deposited", async () => {
    const connector = createSandboxConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    const { injected } = await provisionSandboxSchool({ dataDir: h.dataDir, uai: school.uai, kind: 'college', millesime: school.millesime, seed: 3, faults: [{ kind: 'wrong-uai' }] });
    expect(injected.map((f) => f.code)).toEqual(['DEPOT_UAI']);
    const error = await runStepOn(h, connector, request(school, 'pronote-siecle-elegroupe'), h.env).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StepRejected);
    const anomalies = (error as StepRejected).anomalies;
    expect(anomalies.map((a) => a.code)).toContain('DEPOT_UAI');
    const depotUai = anomalies.find((a) => a.code === 'DEPOT_UAI');
    expect(depotUai?.level).toBe('blocking');
    expect(depotUai?.message).toMatch(new RegExp(`^Le fichier concerne l'établissement \\d{7}[A-Z], pas ${school.uai}\\.$`));
    expect(await connector.hasWaitingDeposit(school.uai, school.millesime)).toBe(false);
  });

  it('a wrong millésime in the name is refused with the verbatim SIECLE message', async () => {
    const connector = createSandboxConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    await provisionSandboxSchool({ dataDir: h.dataDir, uai: school.uai, kind: 'college', millesime: school.millesime, seed: 3, faults: [{ kind: 'wrong-millesime' }] });
    const error = await runStepOn(h, connector, request(school, 'pronote-siecle-elegroupe'), h.env).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StepRejected);
    expect((error as StepRejected).anomalies).toContainEqual(expect.objectContaining({ code: 'DEPOT_ANNEE', message: "Année du fichier différente de l'année utilisée !" }));
  });

  it('an sts_emp of another year is refused before it reaches EDT', async () => {
    const connector = createSandboxConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    await provisionSandboxSchool({ dataDir: h.dataDir, uai: school.uai, kind: 'college', millesime: school.millesime, seed: 3, faults: [{ kind: 'wrong-millesime', file: 'sts-emp' }] });
    const error = await runStepOn(h, connector, request(school, 'sts-edt'), h.env).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StepRejected);
    expect((error as StepRejected).anomalies.map((a) => a.code)).toEqual(['MILLESIME_DIFFERENT']);
  });
});
