// The sandbox connector: the same folders as the folder connector, with embedded applications
// that react the way the real ones do, for demos and tests of the whole chain.
// - At registration (provisionSandboxSchool) a coherent school is generated (generators/) with the
//   faults asked for, and each application's exports are put in its inbox: sts_emp in sts/, the
//   seven SIECLE zips in siecle/, emp_sts in edt/, the élève-groupe zip in pronote/, the LSU file
//   and LSU's state in lsu/. The generator's `injected` faults are returned: they say what the
//   steps must report.
// - When a person confirms synchro 4a, the sandbox STS-Web pushes the structure: SIECLE's
//   Structures export becomes the one generated for the school (so it holds STS-Web's divisions and
//   groups; written at registration beside sandbox.json), unless the school's settings say the push
//   does not reach SIECLE (structurePush: false).
// - SIECLE processes the élève-groupe deposit at its night, LSU imports and reports: the shared
//   steps and night (rules/) already do what those applications do.
// Settings (seed, faults) are kept in schools/<UAI>/sandbox.json, so the same school can be
// generated again byte for byte.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { upsertSchool } from '../db/queries/schools';
import type { Db } from '../db/client';
import { generateSchool, writeSchoolFolder, writeSiecleExport, type FaultSpec, type InjectedFault, type SchoolFileRole, type SchoolKind, type SchoolModel } from '../generators/index';
import { calendarZone } from '../rules/calendar';
import { writeFileAtomic } from './content-store';
import { createFolderConnector, type ConnectorDeps } from './folder';
import { LSU_STATE_FILE, SchoolFolders } from './school-folders';
import type { Application, Connector } from './types';

export interface SandboxSettings {
  version: 1;
  uai: string;
  kind: SchoolKind;
  /** SIECLE millésime. */
  millesime: number;
  seed: number;
  faults: FaultSpec[];
  name?: string;
  /** False: STS-Web's structure push (synchro 4a) never reaches SIECLE. Default true. */
  structurePush?: boolean;
}

export interface ProvisionOptions {
  dataDir: string;
  uai: string;
  kind: SchoolKind;
  millesime: number;
  seed: number;
  faults?: FaultSpec[];
  name?: string;
  structurePush?: boolean;
  /** When given, the school is registered (or updated) with the sandbox connector. */
  db?: Db;
}

export interface ProvisionedSchool {
  uai: string;
  name: string;
  /** What the generator spoiled on purpose, and what the steps must report for it. */
  injected: InjectedFault[];
  /** Files put in the inboxes, as `<app>/inbox/<name>`. */
  files: string[];
}

/** Which application exports which file of a generated school (generators/folder.ts roles). */
const INBOX_OF: Record<SchoolFileRole, Application> = { 'sts-emp': 'sts', 'emp-sts': 'edt', 'siecle-export': 'siecle', elegroupe: 'pronote', lsu: 'lsu' };

const SETTINGS_FILE = 'sandbox.json';
const PUSHED_STRUCTURES_FILE = 'sandbox-structures-after-4a.zip';

function modelOf(settings: SandboxSettings): { model: SchoolModel; injected: InjectedFault[] } {
  return generateSchool({
    seed: settings.seed, kind: settings.kind, millesime: settings.millesime, uai: settings.uai, faults: settings.faults, ...(settings.name && { name: settings.name }),
  });
}

/** LSU's state for a new school: its classes, with their periods set (what LSU needs to synchronise). */
function lsuState(model: SchoolModel): unknown {
  return { version: 1, uai: model.uai, classes: model.divisions.map((d) => ({ code: d.code, label: d.label, mode: 'Import Éditeurs', periodsSet: true })) };
}

export async function readSandboxSettings(dataDir: string, uai: string): Promise<SandboxSettings | undefined> {
  const folders = new SchoolFolders(dataDir, uai);
  const text = await readFile(join(folders.root, SETTINGS_FILE), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as SandboxSettings);
}

export async function provisionSandboxSchool(options: ProvisionOptions): Promise<ProvisionedSchool> {
  const settings: SandboxSettings = {
    version: 1, uai: options.uai, kind: options.kind, millesime: options.millesime, seed: options.seed, faults: options.faults ?? [],
    ...(options.name && { name: options.name }), ...(options.structurePush === false && { structurePush: false }),
  };
  const { model, injected } = modelOf(settings);
  const folders = new SchoolFolders(options.dataDir, options.uai);
  // The sandbox applications own their inboxes: a new registration replaces what they exported.
  for (const app of Object.values(INBOX_OF)) await rm(folders.dir(app, 'inbox'), { recursive: true, force: true });
  await folders.ensure();
  // generators/folder.ts already writes one subfolder per exporting application: write there,
  // then move each file into its application's inbox (same file system: renames, no copies).
  const staging = join(folders.root, `.provision-${randomUUID()}`);
  const files: string[] = [];
  try {
    for (const written of await writeSchoolFolder(model, staging)) {
      const app = INBOX_OF[written.role];
      const name = basename(written.path);
      await rename(join(staging, written.path), folders.path(app, 'inbox', name));
      files.push(`${app}/inbox/${name}`);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  await folders.writeJson('lsu', 'inbox', LSU_STATE_FILE, lsuState(model));
  await mkdir(folders.root, { recursive: true });
  // What SIECLE will export once STS-Web pushed its structure (4a), kept now: generating the
  // school again at 4a cost tens of milliseconds a school.
  await writeFileAtomic(join(folders.root, PUSHED_STRUCTURES_FILE), writeSiecleExport(model, 'Structures').data);
  await folders.writeJsonAt(SETTINGS_FILE, settings);
  if (options.db) {
    await upsertSchool(options.db, { uai: model.uai, name: model.name, academie: model.academie.label, calendarZone: calendarZone(model.uai), connectorKind: 'sandbox' });
  }
  return { uai: model.uai, name: model.name, injected, files };
}

/** Synchro 4a in the sandbox STS-Web: SIECLE's Structures export now holds STS-Web's structure. */
export async function pushStructure(dataDir: string, uai: string): Promise<boolean> {
  const settings = await readSandboxSettings(dataDir, uai);
  if (!settings || settings.structurePush === false) return false;
  const folders = new SchoolFolders(dataDir, uai);
  // Schools provisioned before the pushed export was kept: generated again (same bytes).
  const kept = await readFile(join(folders.root, PUSHED_STRUCTURES_FILE)).catch(() => undefined);
  const structures = kept ? { name: 'ExportXML_Structures.zip', data: kept } : writeSiecleExport(modelOf(settings).model, 'Structures');
  await folders.write('siecle', 'inbox', structures.name, structures.data);
  return true;
}

export function createSandboxConnector(deps: ConnectorDeps): Connector {
  const folder = createFolderConnector(deps);
  return {
    ...folder,
    kind: 'sandbox',
    async beforeStep(request) {
      if (request.step === 'sts-siecle-structure') await pushStructure(deps.dataDir, request.uai);
    },
  };
}
