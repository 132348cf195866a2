// One way to reach Temporal for the CLI, the worker and `npm start`: the cluster named by
// TEMPORAL_ADDRESS (with TLS / API key), or the embedded dev server.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Settings } from '../../config/settings';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server';
import { dataConverterFor } from './payload-codec';

export interface TemporalHandle {
  address: string;
  namespace: string;
  client: Client;
  connection: Connection;
  /** For workers (Rust core connection). */
  nativeConnection: NativeConnection;
  /** Set when we started the dev server ourselves. */
  embedded?: EmbeddedServer;
  close(): Promise<void>;
}

async function tlsOptions(settings: Settings): Promise<NativeConnectionOptions['tls']> {
  const tls = settings.temporal.tls;
  if (!tls) return settings.temporal.apiKey ? true : undefined;
  const [cert, key, ca] = await Promise.all([
    tls.certPath ? readFile(tls.certPath) : undefined,
    tls.keyPath ? readFile(tls.keyPath) : undefined,
    tls.caPath ? readFile(tls.caPath) : undefined,
  ]);
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: ca,
    clientCertPair: cert && key ? { crt: cert, key } : undefined,
  };
}

/** Connects to the configured cluster, or starts the embedded dev server (SQLite under the data dir). */
export async function connectTemporal(
  settings: Settings,
  options: { say?: (line: string) => void; inMemory?: boolean } = {},
): Promise<TemporalHandle> {
  if (settings.temporal.address) {
    const tls = await tlsOptions(settings);
    const common = { address: settings.temporal.address, tls, apiKey: settings.temporal.apiKey };
    const connection = await Connection.connect(common);
    const nativeConnection = await NativeConnection.connect(common);
    const client = new Client({ connection, namespace: settings.temporal.namespace, dataConverter: dataConverterFor(settings.codecKey) });
    return {
      address: settings.temporal.address,
      namespace: settings.temporal.namespace,
      client,
      connection,
      nativeConnection,
      async close() {
        await nativeConnection.close();
        await connection.close();
      },
    };
  }
  const embedded = await startEmbeddedServer({
    dbFilename: options.inMemory ? undefined : path.join(settings.dataDir, 'temporal.sqlite'),
    port: options.inMemory ? undefined : settings.temporal.embeddedPort,
    namespace: settings.temporal.namespace,
    ui: settings.temporal.embeddedUi,
    say: options.say,
  });
  return {
    address: embedded.address,
    namespace: embedded.namespace,
    client: settings.codecKey
      ? new Client({ connection: embedded.env.connection, namespace: embedded.namespace, dataConverter: dataConverterFor(settings.codecKey) })
      : embedded.env.client,
    connection: embedded.env.connection,
    nativeConnection: embedded.env.nativeConnection,
    embedded,
    close: () => embedded.stop(),
  };
}
