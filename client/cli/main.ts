// Entry point of the `synchro` command. Each command lives in its own file under commands/ and
// exports `register(program)`; add new ones to the list below.
import { Command, CommanderError } from 'commander';
import { EXIT, type CommandModule } from './command';
import { frenchCommanderMessage } from './option-values';
import * as doctor from './commands/doctor';
import * as generate from './commands/generate';
import * as start from './commands/start';
import * as check from './commands/check';
import * as schedule from './commands/schedule';
import * as status from './commands/status';
import * as report from './commands/report';
import * as done from './commands/done';
import * as web from './commands/web';
import * as run from './commands/run';
import * as rerun from './commands/rerun';
import * as worker from './commands/worker';
import * as demo from './commands/demo';
import * as schools from './commands/schools';
import * as drop from './commands/drop';
import * as audit from './commands/audit';
import * as contacts from './commands/contacts';

const commands: CommandModule[] = [doctor, start, demo, schools, contacts, drop, generate, check, schedule, run, status, report, done, web, rerun, worker, audit];

const program = new Command('synchro')
  .description("Orchestre la chaîne annuelle et trimestrielle des EPLE (STS-Web, EDT, SIECLE, PRONOTE, LSU).")
  .showHelpAfterError('(--help pour plus de détails)')
  // Set before the commands are added, so that every subcommand inherits them: usage errors in
  // French, and thrown (exit 64 below) rather than commander's own exit 1.
  .configureOutput({ outputError: (text, write) => write(frenchCommanderMessage(text)) })
  .exitOverride();

for (const command of commands) command.register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Already said by commander (help, version: exit 0; a usage error: 64).
    process.exit(error.exitCode === 0 ? 0 : EXIT.usage);
  }
  // An unexpected failure: one readable line (the stack with LOG_LEVEL=debug), and a failing exit.
  console.error(`Erreur : ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) console.error(error.stack);
  process.exitCode = EXIT.failed;
}
// A command is over when its action resolves: leave now, even if a library keeps a handle open
// (a gRPC channel to an unreachable Temporal retries forever). Writes to stdout are synchronous
// for files and pipes on Linux, so nothing printed is lost.
process.exit(process.exitCode ?? 0);
