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

function dropFailure(file: string, error: unknown): string {
  if (error instanceof ActionRefused || error instanceof ExchangeFileError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${file} : fichier introuvable.`;
  if (code === 'EACCES' || code === 'EPERM') return `${file} : lecture refusée par le système (droits du fichier).`;
  if (code === 'EISDIR') return `${file} : c'est un dossier, pas un fichier.`;
  if (code === 'ENOSPC') return `${file} : disque plein, le fichier n'a pas été déposé.`;
  return `${file} : dépôt impossible (${code ?? 'erreur inattendue'}).`;
}

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
        // Every refusal in French, and in JSON with --json: never Node's own English message.
        console.error(options.json ? JSON.stringify({ error: dropFailure(file, error) }) : dropFailure(file, error));
        process.exitCode = EXIT.failed;
      }
    });
}
