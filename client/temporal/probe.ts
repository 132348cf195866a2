// Answers "is there a Temporal server at this address?" without hanging.
import { Connection } from '@temporalio/client';

export interface TemporalProbe {
  serverVersion: string;
  searchAttributes: string[];
}

export async function probeTemporal(connection: Connection, namespace: string): Promise<TemporalProbe> {
  const info = await connection.workflowService.getSystemInfo({});
  const attributes = await connection.operatorService.listSearchAttributes({ namespace });
  return {
    serverVersion: info.serverVersion ?? 'inconnue',
    searchAttributes: Object.keys(attributes.customAttributes ?? {}).sort(),
  };
}

/** Connects only if something answers quickly (e.g. the embedded server of a running `synchro start`). */
export async function connectIfListening(address: string): Promise<Connection | undefined> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: '1s' });
    await connection.workflowService.getSystemInfo({});
    return connection;
  } catch {
    return undefined;
  }
}
