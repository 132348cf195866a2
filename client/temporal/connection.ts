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
  let embedded: EmbeddedServer | undefined;
  if (!settings.temporal.address) {
    embedded = await startEmbeddedServer({
      dbFilename: options.inMemory ? undefined : path.join(settings.dataDir, 'temporal.sqlite'),
      logFile: options.inMemory ? undefined : path.join(settings.dataDir, 'temporal.log'),
      port: options.inMemory ? undefined : settings.temporal.embeddedPort,
      namespace: settings.temporal.namespace,
      ui: settings.temporal.embeddedUi,
      say: options.say,
    });
  }
  const address = embedded?.address ?? settings.temporal.address ?? '';
  const namespace = embedded?.namespace ?? settings.temporal.namespace;
  try {
    const remote = embedded ? {} : { tls: await tlsOptions(settings), apiKey: settings.temporal.apiKey };
    const connection = await Connection.connect({ address, ...remote });
    const nativeConnection = await NativeConnection.connect({ address, ...remote });
    const client = new Client({ connection, namespace, dataConverter: dataConverterFor(settings.codecKey) });
    return {
      address,
      namespace,
      client,
      connection,
      nativeConnection,
      embedded,
      async close() {
        await nativeConnection.close();
        await connection.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
