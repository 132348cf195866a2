import type { Command } from 'commander';
import { loadSettings } from '../../../config/settings';
import { installTemporalRuntime, createLogger } from '../../../worker/logger';
import { doctorReport, renderDoctorReport } from '../../doctor/report';
import { EXIT } from '../command';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('Vérifie que Temporal, la base de données et le dossier de données sont joignables.')
    .option('--json', 'sortie JSON pour les scripts')
    .action(async (options: { json?: boolean }) => {
      const settings = loadSettings();
      installTemporalRuntime(createLogger(settings.logLevel === 'info' ? 'warn' : settings.logLevel));
      const report = await doctorReport(settings);
      console.log(options.json ? JSON.stringify(report, null, 2) : renderDoctorReport(report));
      process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
    });
}
