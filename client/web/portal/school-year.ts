// Where a school's year stands, for its staff: each step of the year and of the current term in
// the chain's order, its state (the latest run in the ledger), what to do next in plain French,
// and every run of the step, newest first. Read from the database only: the page works when
// Temporal is down.
import type { Db } from '../../../db/client';
import { listStepRuns } from '../../../db/queries/step-runs';
import type { School, StepRun } from '../../../db/schema';
import { millesimeOf, schoolYearOfMillesime, schoolYearOn, type Application } from '../../../rules/calendar';
import { TERM_CHAIN, YEAR_CHAIN, type ChainStep } from '../../../workflows/chain';
import type { StepId, StepStatus } from '../../../workflows/steps';
import { STEP_LABELS } from '../../actions/labels';
import { STEP_GUIDANCE, type StepGuidance } from './guidance';

/** How many runs a school's page reads (a year has tens of runs; the cap bounds a runaway). */
const MAX_RUNS = 2000;

export interface StepView {
  step: StepId;
  guidance: StepGuidance;
  /** null: the step has not started for this millésime. */
  status: StepStatus | null;
  latest?: StepRun;
  /** Every run of the step, newest first. */
  history: StepRun[];
  /** What to do now, in plain French. */
  next: string;
  /** The file name to hand in for this step, when it takes one. */
  expectedFile?: string;
}

export interface SchoolYearView {
  school: School;
  /** SIECLE millésime of the school year shown. */
  millesime: number;
  year: StepView[];
  term?: { period: number; steps: StepView[] };
}

const FILE_APPLICATION: Partial<Record<StepId, Application>> = {
  'sts-edt': 'sts-web', 'siecle-pronote': 'siecle', 'edt-sts': 'edt', 'pronote-siecle-elegroupe': 'siecle', 'lsu-bilans': 'lsu',
};

/** The millésime the step's own application writes in its file, for the school year of SIECLE millésime `millesime`. */
export function fileMillesime(step: StepId, uai: string, millesime: number): number {
  const application = FILE_APPLICATION[step] ?? 'siecle';
  return millesimeOf(application, schoolYearOfMillesime('siecle', uai, millesime));
}

/** The SIECLE millésime of the school year in use on `today` (YYYY-MM-DD). */
export function currentMillesime(uai: string, today: string): number {
  return millesimeOf('siecle', schoolYearOn(uai, today));
}

function nextAction(step: ChainStep, status: StepStatus | null, chain: ChainStep[], states: Map<StepId, StepStatus | null>, g: StepGuidance): string {
  const exportText = `${g.export.menu ? `Dans ${g.export.menu}` : `Dans ${g.export.application}`} : ${g.export.what}`;
  const handIn = g.file ? ' Déposez ensuite le fichier sur cette page : il est contrôlé avant d\'être transmis.' : '';
  const waitingFor = step.after.filter((id) => { const s = states.get(id); return s !== 'succeeded' && s !== 'succeeded-with-anomalies'; });
  switch (status) {
    case null:
    case 'pending':
      if (waitingFor.length > 0) return `Rien à faire pour l'instant : cette étape attend ${waitingFor.map((id) => `« ${STEP_LABELS[id]} »`).join(' et ')}.`;
      return `${exportText}${handIn}`;
    case 'waiting-file':
      return `Fichier attendu. ${exportText}${handIn}`;
    case 'waiting-person':
      return `Confirmation attendue. ${exportText}`;
    case 'running':
      return step.step === 'pronote-siecle-elegroupe'
        ? `Fichier déposé dans SIECLE : il sera traité cette nuit. ${g.verify?.menu ? `Demain matin, le compte-rendu apparaîtra ici (et dans ${g.verify.menu}).` : ''}`
        : 'En cours : rien à faire.';
    case 'succeeded':
      return `Fait.${g.import?.menu ? ` Si ce n'est pas déjà fait : ${g.import.menu}.` : ''}`;
    case 'succeeded-with-anomalies':
      return `Fait, avec des anomalies : lisez le rapport (lien ci-dessous) et corrigez ce qui doit l'être.${g.file ? ' Un nouveau fichier déposé ici relance l\'étape.' : ''}`;
    case 'failed':
      return `Échec : lisez le rapport (lien ci-dessous), corrigez la cause${g.file ? `, puis exportez de nouveau (${g.export.menu ?? g.export.application}) et déposez le nouveau fichier ici` : ', puis demandez la relance'}.`;
    case 'blocked':
      return `Bloquée : une étape précédente a échoué (${chain.filter((s) => step.after.includes(s.step)).map((s) => `« ${STEP_LABELS[s.step]} »`).join(', ')}). Corrigez-la d'abord.`;
  }
}

function stepViews(chain: ChainStep[], runs: StepRun[], uai: string, millesime: number): StepView[] {
  const history = new Map<StepId, StepRun[]>(chain.map((s) => [s.step, runs.filter((r) => r.step === s.step)]));
  const states = new Map<StepId, StepStatus | null>(chain.map((s) => [s.step, history.get(s.step)?.[0]?.status ?? null]));
  return chain.map((s) => {
    const guidance = STEP_GUIDANCE[s.step];
    const latest = history.get(s.step)?.[0];
    return {
      step: s.step, guidance, status: latest?.status ?? null, ...(latest && { latest }), history: history.get(s.step) ?? [],
      next: nextAction(s, latest?.status ?? null, chain, states, guidance),
      ...(guidance.file && { expectedFile: guidance.file.pattern(uai, fileMillesime(s.step, uai, millesime)) }),
    };
  });
}

export async function schoolYearView(db: Db, school: School, millesime: number): Promise<SchoolYearView> {
  const runs = await listStepRuns(db, { uai: school.uai, millesime, limit: MAX_RUNS }); // newest first
  const yearRuns = runs.filter((r) => r.period === null);
  const periods = runs.map((r) => r.period).filter((p): p is number => p !== null);
  const period = periods.length > 0 ? Math.max(...periods) : undefined;
  return {
    school, millesime,
    year: stepViews(YEAR_CHAIN, yearRuns, school.uai, millesime),
    ...(period !== undefined && { term: { period, steps: stepViews(TERM_CHAIN, runs.filter((r) => r.period === period), school.uai, millesime) } }),
  };
}

/** The millésime to show: asked, else the newest one with runs, else the school year in use today. */
export async function millesimeToShow(db: Db, uai: string, asked: number | undefined, today: string): Promise<number> {
  if (asked !== undefined) return asked;
  const [newest] = await listStepRuns(db, { uai, limit: 1 });
  return newest?.millesime ?? currentMillesime(uai, today);
}
