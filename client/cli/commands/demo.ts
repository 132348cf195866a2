// `synchro demo [--json]`: the demo académie run to the end on a throwaway embedded default (its
// own dev server in memory, its own PGlite and files under <data dir>/demo, emptied first: never
// the configured cluster or database), then each school's steps and the faults injected on
// purpose with the step that reported them. Exit 0 when every step is in a final state and every
// injected fault was reported, 2 otherwise.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { createActivities } from '../../../activities';
import { loadSettings, type Settings } from '../../../config/settings';
import { openDatabase } from '../../../db/open';
import { createWorkerDependencies } from '../../../worker/dependencies';
import { createLogger, installTemporalRuntime } from '../../../worker/logger';
import { createWorker } from '../../../worker/worker';
import { DEMO_ACADEMIE, demoPhases, notApplicableSteps, type DemoRun } from '../../demo/demo-academie';
import { demoSummary, type DemoSummary } from '../../demo/demo-summary';
import { connectTemporal } from '../../temporal/connection';
import { STEP_LABELS } from '../../actions/labels';
import { EXIT } from '../command';
import { runPhases } from '../progress';
import { renderStatus, statusJson } from '../render-status';

function renderFaults(summary: DemoSummary): string {
  const lines = ['Anomalies injectées et où elles ont été signalées :'];
  for (const school of summary.schools) {
    for (const fault of school.injected) {
      const who = [fault.eleveId && `élève ${fault.eleveId}`, fault.teacherId && `enseignant ${fault.teacherId}`].filter(Boolean).join(', ');
      const where = fault.reportedBy ? `signalée par « ${STEP_LABELS[fault.reportedBy as keyof typeof STEP_LABELS]} »` : 'NON SIGNALÉE';
      lines.push(`  ${school.uai}  ${fault.code.padEnd(20)} ${who.padEnd(28)} ${where}`);
    }
  }
  return lines.join('\n');
}

/** The demo never touches the configured services: in-memory server, PGlite under <data>/demo. */
function demoSettings(settings: Settings): Settings {
  return { ...settings, dataDir: path.join(settings.dataDir, 'demo'), databaseUrl: undefined, codecKey: undefined, temporal: { ...settings.temporal, address: undefined, embeddedUi: false } };
}

export function register(program: Command): void {
  program
    .command('demo')
    .description("Fait tourner une académie de démonstration (3 établissements fictifs, anomalies injectées) jusqu'au bout sur un serveur embarqué jetable, puis affiche les étapes de chaque établissement.")
    .option('--json', 'sortie JSON pour les scripts')
    .action(async (options: { json?: boolean }) => {
      const settings = demoSettings(loadSettings());
      installTemporalRuntime(createLogger(process.env.LOG_LEVEL ?? 'warn'));
      await rm(settings.dataDir, { recursive: true, force: true });
      const progress = (line: string): void => { (options.json ? process.stderr : process.stdout).write(`${line}\n`); };
      const temporal = await connectTemporal(settings, { inMemory: true, say: progress });
      const database = await openDatabase(settings);
      try {
        const taskQueue = 'synchro-eple-demo';
        const worker = await createWorker({
          connection: temporal.nativeConnection,
          namespace: temporal.namespace,
          taskQueue,
          activities: createActivities(createWorkerDependencies(settings, database.db)),
        });
        const run: Partial<DemoRun> = {};
        const phases = demoPhases({ client: temporal.client, db: database.db, dataDir: settings.dataDir, taskQueue }, run);
        await worker.runUntil(runPhases(phases, options));
        const summary = await demoSummary(database.db, run.schools ?? [], notApplicableSteps);
        if (options.json) {
          console.log(JSON.stringify({
            academie: DEMO_ACADEMIE,
            dataDir: settings.dataDir,
            schools: summary.schools.map((s) => ({ ...statusJson(s), injected: s.injected })),
            allFinal: summary.allFinal,
            allReported: summary.allReported,
          }, null, 2));
        } else {
          console.log(`\n${renderStatus(summary.schools)}`);
          console.log(renderFaults(summary));
          console.log(`\nFichiers, rapports et base de la démo : ${settings.dataDir} (SYNCHRO_DATA_DIR=${settings.dataDir} synchro status).`);
        }
        process.exitCode = summary.allFinal && summary.allReported ? EXIT.ok : EXIT.failed;
      } finally {
        await database.close();
        await temporal.close();
      }
    });
}
