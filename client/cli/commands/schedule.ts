import type { Command } from 'commander';
import { loadSettings } from '../../../config/settings';
import { openDatabase } from '../../../db/open';
import { applyAcademySchedules, backfillSchedule, listSchedules, pauseSchedule, resumeSchedule } from '../../schedules/apply';
import { applyNotificationSchedule } from '../../schedules/notifications';
import { academyScheduleConfigs } from '../../schedules/config';
import { connectForCommand, type CommandTemporal } from '../../temporal/command-connection';
import { EXIT } from '../command';
import { dateValue, millesimeValue } from '../option-values';

const today = (): string => new Date().toISOString().slice(0, 10);

async function withTemporal(body: (temporal: CommandTemporal) => Promise<void>): Promise<void> {
  const temporal = await connectForCommand(loadSettings());
  try {
    await body(temporal);
  } finally {
    await temporal.close();
  }
}

function print(json: boolean | undefined, data: unknown, text: string): void {
  console.log(json ? JSON.stringify(data, null, 2) : text);
}

export function register(program: Command): void {
  const schedule = program.command('schedule').description("Planifications Temporal de chaque académie (nuit élève-groupe, fins de période, rentrée).");

  schedule
    .command('apply')
    .description("Crée ou met à jour les planifications (idempotent : deux applications donnent les mêmes planifications).")
    .option('--academie <code>', 'une seule académie')
    .option('--millesime <aaaa>', 'millésime SIECLE (par défaut : celui en cours à la date --on)', millesimeValue)
    .option('--on <aaaa-mm-jj>', 'date de référence', dateValue, today())
    .option('--json', 'sortie JSON')
    .action(async (options: { academie?: string; millesime?: string; on: string; json?: boolean }) => {
      const settings = loadSettings();
      const database = await openDatabase(settings);
      try {
        const configs = await academyScheduleConfigs(database.db, {
          academie: options.academie,
          millesime: options.millesime ? Number(options.millesime) : undefined,
          on: options.on,
          taskQueue: settings.temporal.taskQueue,
        });
        if (configs.length === 0) {
          console.error("Aucun établissement enregistré pour cette académie : rien à planifier (synchro schools add).");
          process.exitCode = EXIT.usage;
          return;
        }
        await withTemporal(async ({ client }) => {
          const applied = [];
          for (const config of configs) applied.push(...(await applyAcademySchedules(client, config)), await applyNotificationSchedule(client, config));
          print(options.json, { applied }, applied.map((a) => `${a.change === 'created' ? 'créée   ' : 'à jour  '} ${a.scheduleId}`).join('\n'));
        });
      } finally {
        await database.close();
      }
    });

  schedule
    .command('list')
    .description('Liste les planifications et leurs prochaines exécutions.')
    .option('--academie <code>', 'une seule académie')
    .option('--json', 'sortie JSON')
    .action((options: { academie?: string; json?: boolean }) =>
      withTemporal(async ({ client }) => {
        const listed = await listSchedules(client, options.academie);
        print(
          options.json,
          { schedules: listed },
          listed.map((s) => `${s.paused ? 'en pause' : 'active  '} ${s.scheduleId}  prochaines : ${s.nextRuns.join(', ') || '—'}`).join('\n') || 'Aucune planification.',
        );
      }),
    );

  schedule
    .command('pause <id>')
    .description('Met une planification en pause.')
    .option('--note <texte>', 'raison', 'mise en pause par un opérateur')
    .option('--json', 'sortie JSON')
    .action((id: string, options: { note: string; json?: boolean }) => withTemporal(async ({ client }) => {
      await pauseSchedule(client, id, options.note);
      print(options.json, { scheduleId: id, paused: true }, `Planification ${id} en pause.`);
    }));

  schedule
    .command('resume <id>')
    .description('Reprend une planification en pause.')
    .option('--note <texte>', 'raison', 'reprise par un opérateur')
    .option('--json', 'sortie JSON')
    .action((id: string, options: { note: string; json?: boolean }) => withTemporal(async ({ client }) => {
      await resumeSchedule(client, id, options.note);
      print(options.json, { scheduleId: id, paused: false }, `Planification ${id} reprise.`);
    }));

  schedule
    .command('backfill <id>')
    .description("Rattrape les exécutions manquées entre deux instants (une nuit manquée).")
    .requiredOption('--from <instant>', 'début, ISO 8601 (ex. 2025-10-14T00:00:00+02:00)')
    .requiredOption('--to <instant>', 'fin, ISO 8601')
    .option('--json', 'sortie JSON')
    .action((id: string, options: { from: string; to: string; json?: boolean }) => {
      const [from, to] = [new Date(options.from), new Date(options.to)];
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
        console.error('--from et --to doivent être deux instants ISO 8601, --from avant --to.');
        process.exitCode = EXIT.usage;
        return;
      }
      return withTemporal(async ({ client }) => {
        await backfillSchedule(client, id, from, to);
        print(options.json, { scheduleId: id, backfill: { from: from.toISOString(), to: to.toISOString() } }, `Planification ${id} : exécutions manquées du ${from.toISOString()} au ${to.toISOString()} demandées.`);
      });
    });
}
