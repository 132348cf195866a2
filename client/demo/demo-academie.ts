// The demo académie: three generated schools on the sandbox applications (a metropolitan collège,
// a lycée, a Nouvelle-Calédonie collège), each with faults injected on purpose, run through the
// real workflows: the school year (the 4a/4b buttons confirmed as a person would, through the
// same update as `synchro done`), SIECLE's night for the élève-groupe deposits, then the first
// term's LSU import. `synchro demo` and `synchro start --demo` both run this.
import type { Client } from '@temporalio/client';
import { provisionSandboxSchool, createConnectors, createContentStore, type ProvisionedSchool } from '../../connectors';
import type { Db } from '../../db/client';
import { schoolYearEnds } from '../../rules/calendar';
import { getSchool } from '../../db/queries/schools';
import { listLatestStepRuns } from '../../db/queries/step-runs';
import type { FaultSpec, SchoolKind } from '../../generators';
import type { AcademyResult } from '../../workflows/academy';
import type { NightlyResult } from '../../workflows/nightly-elegroupe';
import { MANUAL_STEPS } from '../../workflows/chain';
import type { StepId } from '../../workflows/steps';
import { confirmStep } from '../actions/confirm-step';
import type { Phase } from '../cli/progress';

export const DEMO_ACADEMIE = 'Démo';
export const DEMO_MILLESIME = 2025;
/** 02/03/2026: SIECLE base 2025 is in use both in metropolitan France (2025-2026) and in
 * Nouvelle-Calédonie (February–December 2026). */
export const DEMO_BUSINESS_DATE = '2026-03-02';
const DEMO_PERIOD = 1;

interface DemoSchoolSpec {
  uai: string;
  kind: SchoolKind;
  seed: number;
  faults: FaultSpec[];
}

export const DEMO_SCHOOLS: readonly DemoSchoolSpec[] = [
  { uai: '0750680G', kind: 'college', seed: 11, faults: [{ kind: 'unknown-group' }, { kind: 'unknown-teacher' }] },
  { uai: '0660864F', kind: 'lycee', seed: 12, faults: [{ kind: 'date-outside-calendar' }] },
  { uai: '9830418M', kind: 'college', seed: 13, faults: [{ kind: 'unknown-group' }, { kind: 'date-outside-calendar' }] },
];

/** Steps that do not concern a school: LSU is for écoles and collèges, not lycées. */
export function notApplicableSteps(uai: string): StepId[] {
  return DEMO_SCHOOLS.find((s) => s.uai === uai)?.kind === 'lycee' ? ['lsu-bilans'] : [];
}

export interface DemoRun {
  schools: ProvisionedSchool[];
  year: AcademyResult;
  night: NightlyResult;
  term: AcademyResult;
}

export interface DemoOptions {
  client: Client;
  db: Db;
  dataDir: string;
  taskQueue: string;
  /** Give up waiting for the deposits after this long (ms). */
  timeoutMs?: number;
}

/** True when the demo schools are already registered (a second `start --demo` keeps what ran). */
export async function demoLoaded(db: Db): Promise<boolean> {
  const found = await Promise.all(DEMO_SCHOOLS.map((s) => getSchool(db, s.uai)));
  return found.every((s) => s?.connectorKind === 'sandbox');
}

export async function provisionDemo(dataDir: string, db: Db): Promise<ProvisionedSchool[]> {
  const schools: ProvisionedSchool[] = [];
  for (const spec of DEMO_SCHOOLS) schools.push(await provisionSandboxSchool({ dataDir, db, millesime: DEMO_MILLESIME, ...spec }));
  return schools;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every school's élève-groupe deposit is in SIECLE's hands, confirming the manual
 * steps as they come (what an operator does with `synchro done`). A school whose year ended
 * early (a failed step) is not waited for.
 */
async function untilDepositsWait(options: DemoOptions, uais: string[], year: Promise<unknown>, say: (line: string) => void): Promise<void> {
  const siecle = createConnectors({ dataDir: options.dataDir, db: options.db, store: createContentStore(options.dataDir) }).connectorFor({ connectorKind: 'sandbox' });
  let over = false;
  const end = (): void => { over = true; };
  year.then(end, end);
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  const confirmed = new Set<string>();
  while (!over && Date.now() < deadline) {
    const latest = await listLatestStepRuns(options.db, { millesime: DEMO_MILLESIME });
    for (const run of latest) {
      const key = `${run.uai}/${run.step}`;
      if (!uais.includes(run.uai) || run.status !== 'waiting-person' || !MANUAL_STEPS.has(run.step) || confirmed.has(key)) continue;
      await confirmStep(options.client, { uai: run.uai, millesime: DEMO_MILLESIME, step: run.step, by: 'demo' });
      confirmed.add(key);
      say(`${run.uai} : étape « ${run.step} » confirmée (comme avec « synchro done »).`);
    }
    const waiting = await Promise.all(uais.map(async (uai) => {
      const elegroupe = latest.find((r) => r.uai === uai && r.step === 'pronote-siecle-elegroupe');
      if (elegroupe && elegroupe.status !== 'running') return true; // over one way or another
      return siecle.hasWaitingDeposit(uai, DEMO_MILLESIME);
    }));
    if (waiting.every(Boolean)) return;
    await sleep(250);
  }
  if (!over) throw new Error(`Les dépôts élève-groupe de la démo ne sont pas arrivés en ${Math.round((options.timeoutMs ?? 300_000) / 1000)} s : voir « synchro status ».`);
}

/**
 * The demo as phases (provisioning, the year up to SIECLE's night, the night, the first term),
 * each filling `into`, for the CLI's progress display.
 */
export function demoPhases(options: DemoOptions, into: Partial<DemoRun>): Phase[] {
  const { client, taskQueue } = options;
  const uais = DEMO_SCHOOLS.map((s) => s.uai);
  const stamp = new Date().toISOString();
  const common = { academie: DEMO_ACADEMIE, millesime: DEMO_MILLESIME, businessDate: DEMO_BUSINESS_DATE, uais, concurrency: uais.length };
  let year: Promise<AcademyResult> | undefined;
  return [
    {
      title: `Génération de ${uais.length} établissements fictifs (applications bac à sable)`,
      async run(say) {
        into.schools = await provisionDemo(options.dataDir, options.db);
        for (const school of into.schools) say(`${school.uai} ${school.name} : ${school.injected.length} anomalie(s) injectée(s)`);
      },
    },
    {
      title: `Année scolaire ${DEMO_MILLESIME} : de STS-Web → EDT au dépôt élève-groupe`,
      async run(say) {
        const handle = await client.workflow.start('academy', { taskQueue, workflowId: `demo/${stamp}/year`, args: [{ ...common, kind: 'year', yearEnds: schoolYearEnds(uais, DEMO_MILLESIME) }] });
        year = handle.result() as Promise<AcademyResult>;
        await untilDepositsWait(options, uais, year, say);
      },
    },
    {
      title: `Nuit SIECLE du ${DEMO_BUSINESS_DATE} : traitement des fichiers élève-groupe`,
      async run(say) {
        into.night = (await client.workflow.execute('nightlyEleGroupe', { taskQueue, workflowId: `demo/${stamp}/night`, args: [{ night: DEMO_BUSINESS_DATE, uais }] })) as NightlyResult;
        say(`${into.night.outcomes.filter((o) => o.processed).length} fichier(s) traité(s)`);
        into.year = await year;
      },
    },
    {
      title: `Fin de la période ${DEMO_PERIOD} : synchronisation LSU et import des bilans`,
      async run(say) {
        const colleges = DEMO_SCHOOLS.filter((s) => s.kind === 'college').map((s) => s.uai);
        say(`LSU concerne les collèges : ${colleges.join(', ')}`);
        const args = [{ ...common, uais: colleges, kind: 'term', period: DEMO_PERIOD }];
        into.term = (await client.workflow.execute('academy', { taskQueue, workflowId: `demo/${stamp}/term`, args })) as AcademyResult;
      },
    },
  ];
}
