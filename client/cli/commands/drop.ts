// `synchro drop FILE --uai UAI [--json]`: puts an exported file in the school's inbox of the
// application that exported it (recognised by its content, official name and UAI checked). Needs
// no database, so it works while `synchro start` runs. Exit 0 dropped, 2 refused, 64 malformed UAI.
import type { Command } from 'commander';
import { loadSettings } from '../../../config/settings';
import { ExchangeFileError } from '../../../formats/errors';
import { uaiProblem } from '../../../formats/uai';
import { dropFile } from '../../actions/drop-file';
import { ActionRefused } from '../../actions/errors';
import { notifyFileArrived } from '../../actions/file-arrived';
import { connectForCommand } from '../../temporal/command-connection';
import { EXIT } from '../command';

export function register(program: Command): void {
  program
    .command('drop <fichier>')
    .description("Dépose un fichier exporté dans la boîte de réception de l'établissement (l'application est reconnue au contenu).")
    .requiredOption('--uai <uai>', "l'établissement")
    .option('--json', 'sortie JSON pour les scripts')
    .action(async (file: string, options: { uai: string; json?: boolean }) => {
      const uai = options.uai.toUpperCase();
      const problem = uaiProblem(uai);
      if (problem) {
        console.error(problem);
        process.exitCode = EXIT.usage;
        return;
      }
      try {
        const settings = loadSettings();
        // The school's running year is told at once; without Temporal the file simply waits in the inbox.
        const temporal = await connectForCommand(settings).catch(() => undefined);
        const dropped = await dropFile(settings.dataDir, uai, file, temporal && ((arrived) => notifyFileArrived(temporal.client, uai, arrived))).finally(() => temporal?.close());
        console.log(options.json ? JSON.stringify(dropped) : `${file} → ${dropped.path} (${dropped.kind}, boîte de réception ${dropped.application}).`);
      } catch (error) {
        if (!(error instanceof ActionRefused || error instanceof ExchangeFileError || (error as NodeJS.ErrnoException).code === 'ENOENT')) throw error;
        const message = (error as Error).message;
        console.error(options.json ? JSON.stringify({ error: message }) : message);
        process.exitCode = EXIT.failed;
      }
    });
}
