// The embedded Temporal: `temporal server start-dev` started through @temporalio/testing, which
// waits until it answers and stops it on teardown. Used by `npm start`, the CLI and the tests.
import { TestWorkflowEnvironment } from '@temporalio/testing';
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
  say?: (line: string) => void;
}

export interface EmbeddedServer {
  env: TestWorkflowEnvironment;
  address: string;
  namespace: string;
  /** Path of the CLI binary; undefined when the SDK downloaded it. */
  cli?: FoundCli;
  uiUrl?: string;
  stop(): Promise<void>;
}

export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const cli = await ensureTemporalCli(process.env, options.say);
  const namespace = options.namespace ?? 'default';
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      ip: '127.0.0.1',
      port: options.port,
      dbFilename: options.dbFilename,
      namespace,
      ui: options.ui ?? false,
      searchAttributes: SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
    },
  });
  const address = env.address;
  let stopped = false;
  return {
    env,
    address,
    namespace,
    cli,
    uiUrl: options.ui ? uiUrlFor(address) : undefined,
    async stop() {
      if (stopped) return;
      stopped = true;
      await env.teardown();
    },
  };
}

function uiUrlFor(address: string): string {
  const [host, port] = address.split(':');
  return `http://${host}:${Number(port) + 1000}`;
}
