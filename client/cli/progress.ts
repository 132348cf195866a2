// Progress of long work: listr2's live task list in a terminal, plain lines otherwise (logs, CI,
// pipes). With --json, stdout is the JSON alone: progress then goes to stderr as plain lines.
import { Listr } from 'listr2';

export interface Phase {
  title: string;
  run(say: (line: string) => void): Promise<void>;
}

export async function runPhases(phases: readonly Phase[], options: { json?: boolean } = {}): Promise<void> {
  const out = options.json ? process.stderr : process.stdout;
  if (!options.json && process.stdout.isTTY) {
    await new Listr(
      phases.map((phase) => ({
        title: phase.title,
        task: (_ctx: unknown, task: { output: string }) => phase.run((line) => { task.output = line; }),
        rendererOptions: { bottomBar: 3 },
      })),
      { concurrent: false, exitOnError: true },
    ).run();
    return;
  }
  for (const phase of phases) {
    out.write(`${phase.title}…\n`);
    await phase.run((line) => out.write(`  ${line}\n`));
  }
}
