// How a command other than `synchro start` reaches Temporal: the cluster of TEMPORAL_ADDRESS, or
// the embedded server of a running `synchro start`. It never starts a second embedded server.
import type { Settings } from '../../config/settings';
import { Client } from '@temporalio/client';
import { connectTemporal } from './connection';
import { dataConverterFor } from './payload-codec';
import { connectIfListening } from './probe';

export interface CommandTemporal {
  client: Client;
  close(): Promise<void>;
}

export class TemporalUnreachable extends Error {}

export async function connectForCommand(settings: Settings): Promise<CommandTemporal> {
  if (settings.temporal.address) {
    const handle = await connectTemporal(settings);
    return { client: handle.client, close: () => handle.close() };
  }
  const address = `127.0.0.1:${settings.temporal.embeddedPort}`;
  const connection = await connectIfListening(address);
  if (!connection) {
    throw new TemporalUnreachable(`Temporal ne répond pas sur ${address} : lancez « synchro start » (serveur embarqué) ou définissez TEMPORAL_ADDRESS.`);
  }
  const client = new Client({ connection, namespace: settings.temporal.namespace, dataConverter: dataConverterFor(settings.codecKey) });
  return { client, close: () => connection.close() };
}
