// The embedded Temporal: `temporal server start-dev`, with our search attributes, bound to
// 127.0.0.1, its output in a log file (stdout stays clean for `--json`), stopped on teardown.
// We spawn the binary ourselves; only when there is none and no Go to build it do we let
// @temporalio/testing download one.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { ensureTemporalCli, type FoundCli } from './cli-binary';

export interface EmbeddedServerOptions {
  /** SQLite file that keeps histories across restarts; in memory when absent. */
  dbFilename?: string;
  /** Fixed port, or a free one when absent. */
  port?: number;
  namespace?: string;
  /** Serve the Temporal Web UI on port + 1000. */
  ui?: boolean;
  /** Where the server's own output goes; discarded when absent. */
  logFile?: string;
  say?: (line: string) => void;
}

export interface EmbeddedServer {
  address: string;
  namespace: string;
  /** The CLI binary; undefined when the SDK downloaded it. */
  cli?: FoundCli;
  uiUrl?: string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash or an OOM killer would (the fault tests); undefined when the SDK runs it. */
  kill?(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

// The CLI spells the types in CamelCase (Keyword, Int, …).
const CLI_TYPE: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const namespace = options.namespace ?? 'default';
  const cli = await ensureTemporalCli(process.env, options.say);
  if (!cli) return startDownloadedServer(options, namespace);

  const port = options.port ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  if (options.dbFilename) await mkdir(path.dirname(options.dbFilename), { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--namespace', namespace,
    '--log-format', 'json',
    '--log-level', 'error',
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
    ...(options.ui ? ['--ui-ip', '127.0.0.1', '--ui-port', String(port + 1000)] : ['--headless']),
    ...SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE[key.type]}`]),
  ];
  const child = spawn(cli.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = captureOutput(child, options.logFile);
  await waitUntilReady(address, namespace, child, tail);

  return {
    address,
    namespace,
    cli,
    uiUrl: options.ui ? `http://127.0.0.1:${port + 1000}` : undefined,
    stop: () => stopChild(child),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Keeps the last lines for error messages, and writes everything to the log file when asked. */
function captureOutput(child: ChildProcess, logFile?: string): () => string {
  const lines: string[] = [];
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const keep = (chunk: Buffer): void => {
    log?.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 20) lines.splice(0, lines.length - 20);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', () => log?.end());
  return () => lines.join('\n');
}

async function waitUntilReady(address: string, namespace: string, child: ChildProcess, tail: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`Le serveur Temporal embarqué s'est arrêté au démarrage (code ${child.exitCode}) :\n${tail()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await sleep(200);
    }
  }
  await stopChild(child);
  throw new Error(`Le serveur Temporal embarqué ne répond pas sur ${address} après ${READY_TIMEOUT_MS / 1000} s :\n${tail()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** No binary and no Go: the SDK downloads the CLI (needs internet) and runs it. */
async function startDownloadedServer(options: EmbeddedServerOptions, namespace: string): Promise<EmbeddedServer> {
  options.say?.('Ni binaire temporal ni Go : téléchargement du serveur de développement par @temporalio/testing…');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      dbFilename: options.dbFilename,
      namespace,
      ui: options.ui ?? false,
      searchAttributes: SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
    },
  });
  return { address: env.address, namespace, stop: () => env.teardown() };
}
