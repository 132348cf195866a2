import type { Command } from 'commander';

/** A CLI command module: one file per command under commands/, listed in main.ts. */
export interface CommandModule {
  register(program: Command): void;
}

/** Exit codes shared by every command, so that scripts can rely on them. */
export const EXIT = {
  ok: 0,
  /** Done, with anomalies (e.g. a file accepted with anomalies). */
  anomalies: 1,
  /** Refused / failed (e.g. a file rejected, a component unreachable). */
  failed: 2,
  /** Bad usage or configuration. */
  usage: 64,
} as const;
