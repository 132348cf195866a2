// Finds the Temporal CLI that embeds the dev server. Order: TEMPORAL_CLI_PATH, our cache outside
// the repo, PATH; when none is there and Go is installed, build it from the Go module proxy (it
// takes a few minutes the first time); otherwise return undefined and let @temporalio/testing
// download it (users with internet need no Go).
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** v1.5.1: the newest release without `replace` directives, so `go install` works; embeds SQLite and the UI. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;

export type CliSource = 'env' | 'cache' | 'path' | 'built';

export interface FoundCli {
  path: string;
  source: CliSource;
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'synchro-eple', `temporal-${TEMPORAL_CLI_VERSION}`);
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await isExecutable(path.join(dir, name)))) return path.join(dir, name);
  }
  return undefined;
}

/** Looks for an existing binary; never builds or downloads. */
export async function findTemporalCli(env: NodeJS.ProcessEnv = process.env): Promise<FoundCli | undefined> {
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (await isExecutable(fromEnv)) return { path: fromEnv, source: 'env' };
    throw new Error(`TEMPORAL_CLI_PATH désigne « ${fromEnv} », qui n'est pas un exécutable.`);
  }
  const cached = path.join(cacheDir(env), 'temporal');
  if (await isExecutable(cached)) return { path: cached, source: 'cache' };
  const found = await onPath('temporal', env);
  return found ? { path: found, source: 'path' } : undefined;
}

/** Builds the CLI into the cache with `go install`; returns undefined when Go is not installed. */
export async function buildTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  say: (line: string) => void = (line) => console.error(line),
): Promise<FoundCli | undefined> {
  const go = await onPath('go', env);
  if (!go) return undefined;
  const dir = cacheDir(env);
  say(`Construction du serveur Temporal de développement (temporal v${TEMPORAL_CLI_VERSION}) avec Go dans ${dir} : quelques minutes la première fois…`);
  const started = Date.now();
  await execFileAsync(go, ['install', MODULE], {
    env: { ...env, CGO_ENABLED: '0', GOBIN: dir },
    maxBuffer: 64 * 1024 * 1024,
  });
  say(`Serveur Temporal construit en ${Math.round((Date.now() - started) / 1000)} s.`);
  return { path: path.join(dir, 'temporal'), source: 'built' };
}

/** Finds the CLI, or builds it when Go is there. Undefined means: let the SDK download it. */
export async function ensureTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  say?: (line: string) => void,
): Promise<FoundCli | undefined> {
  return (await findTemporalCli(env)) ?? (await buildTemporalCli(env, say));
}
