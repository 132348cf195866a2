// The folder connector on empty inboxes (waiting for files, with the official name to drop), the
// sandbox STS-Web's structure push at synchro 4a, and the connector chosen from the schools row.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StepRejected } from '../../../activities/step-run';
import { createFolderConnector } from '../../../connectors/folder';
import { createConnectors } from '../../../connectors/index';
import { createSandboxConnector, provisionSandboxSchool, pushStructure } from '../../../connectors/sandbox';
import { generateSchool, writeSiecleExport } from '../../../generators/index';
import { upsertSchool } from '../../../db/queries/schools';
import { openHarness, request, SCHOOLS, type Harness } from '../../support/step-harness';
import { runStepOn } from '../../../activities/step-ports';

const [metro, nc] = SCHOOLS;

describe('folder connector, nothing dropped yet', () => {
  let h: Harness;
  beforeEach(async () => { h = await openHarness(); });
  afterEach(() => h.close());

  it.each([
    ['sts-edt', 'sts_emp_9830418M_2018.xml'],
    ['edt-sts', 'emp_sts_9830418M_2018.xml'],
    ['siecle-pronote', 'ExportXML_ElevesSansAdresses.zip'],
    ['pronote-siecle-elegroupe', '9830418MELEGROUPE2017<AAMMJJhhmmss>.zip'],
    ['lsu-base-sync', 'ExportXML_ElevesSansAdresses.zip'],
    ['lsu-bilans', 'import_lsu_<aaaammjjhhmmss>.xml'],
  ] as const)('%s waits for %s', async (step, expected) => {
    const connector = createFolderConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    expect(await runStepOn(h, connector, request(nc, step), h.env)).toEqual({ kind: 'waiting-file', expected });
  });

  it('manual steps confirmed without evidence are done with a warning', async () => {
    const connector = createFolderConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    for (const step of ['sts-siecle-structure', 'sts-siecle-services'] as const) {
      const outcome = await runStepOn(h, connector, request(metro, step), h.env);
      expect(outcome).toMatchObject({ kind: 'done', anomalies: [{ code: 'PREUVE_ABSENTE', level: 'warning' }] });
    }
  });
});

describe('synchro 4a in the sandbox', () => {
  let h: Harness;
  beforeEach(async () => { h = await openHarness(); });
  afterEach(() => h.close());
  const structures = (dataDir: string): string => join(dataDir, 'schools', metro.uai, 'siecle', 'inbox', 'ExportXML_Structures.zip');

  it("STS-Web's push gives SIECLE its structure: the evidence is there after the confirmation", async () => {
    await provisionSandboxSchool({ dataDir: h.dataDir, uai: metro.uai, kind: 'college', millesime: metro.millesime, seed: 2 });
    await rm(structures(h.dataDir));
    const folder = createFolderConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    expect(await runStepOn(h, folder, request(metro, 'sts-siecle-structure'), h.env)).toMatchObject({ anomalies: [{ code: 'PREUVE_ABSENTE' }] });
    const sandbox = createSandboxConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    expect(await runStepOn(h, sandbox, request(metro, 'sts-siecle-structure'), h.env)).toMatchObject({ kind: 'done', anomalies: [] });
  });

  it('the pushed export is the one generated for the school, kept at registration or generated again', async () => {
    await provisionSandboxSchool({ dataDir: h.dataDir, uai: metro.uai, kind: 'college', millesime: metro.millesime, seed: 2 });
    const generated = writeSiecleExport(generateSchool({ uai: metro.uai, kind: 'college', millesime: metro.millesime, seed: 2 }).model, 'Structures').data;
    await rm(structures(h.dataDir));
    expect(await pushStructure(h.dataDir, metro.uai)).toBe(true);
    expect(await readFile(structures(h.dataDir))).toEqual(generated);
    // A school registered before the export was kept: SIECLE's export is generated again.
    await rm(join(h.dataDir, 'schools', metro.uai, 'sandbox-structures-after-4a.zip'));
    await rm(structures(h.dataDir));
    expect(await pushStructure(h.dataDir, metro.uai)).toBe(true);
    expect(await readFile(structures(h.dataDir))).toEqual(generated);
  });

  it('a push that never reaches SIECLE leaves the step done with a warning', async () => {
    await provisionSandboxSchool({ dataDir: h.dataDir, uai: metro.uai, kind: 'college', millesime: metro.millesime, seed: 2, structurePush: false });
    await rm(structures(h.dataDir));
    const sandbox = createSandboxConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    expect(await runStepOn(h, sandbox, request(metro, 'sts-siecle-structure'), h.env)).toMatchObject({ kind: 'done', anomalies: [{ code: 'PREUVE_ABSENTE', level: 'warning' }] });
  });

  it('keeps the sandbox settings beside the school', async () => {
    await provisionSandboxSchool({ dataDir: h.dataDir, uai: metro.uai, kind: 'college', millesime: metro.millesime, seed: 9, faults: [{ kind: 'unknown-group' }] });
    const settings: unknown = JSON.parse(await readFile(join(h.dataDir, 'schools', metro.uai, 'sandbox.json'), 'utf8'));
    expect(settings).toMatchObject({ uai: metro.uai, seed: 9, millesime: metro.millesime, faults: [{ kind: 'unknown-group' }] });
  });
});

describe('connectorFor', () => {
  let h: Harness;
  beforeEach(async () => { h = await openHarness(); });
  afterEach(() => h.close());

  it("follows the schools row's connector, one connector per kind", async () => {
    const connectors = createConnectors({ dataDir: h.dataDir, db: h.db, store: h.store });
    await provisionSandboxSchool({ dataDir: h.dataDir, uai: metro.uai, kind: 'college', millesime: metro.millesime, seed: 1, db: h.db });
    await upsertSchool(h.db, { uai: nc.uai, name: 'COLLEGE', academie: 'NOUVELLE-CALEDONIE', calendarZone: 'pacifique-sud', connectorKind: 'folder' });
    const sandbox = await connectors.connectorForUai(metro.uai);
    const folder = await connectors.connectorForUai(nc.uai);
    expect([sandbox.kind, folder.kind]).toEqual(['sandbox', 'folder']);
    expect(connectors.connectorFor({ connectorKind: 'sandbox' })).toBe(sandbox);
    expect(connectors.connectorFor({ connectorKind: 'folder' })).toBe(folder);
    await expect(connectors.connectorForUai('0000000A')).rejects.toBeInstanceOf(StepRejected);
  });
});
