// Starts one real Temporal dev server for the whole run (in memory, our search attributes
// registered). Never skipped: if no server can be started, the Temporal tests fail.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startEmbeddedServer } from '../../client/temporal/embedded-server';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startEmbeddedServer({ say: (line) => console.log(line) });
  console.log(`Temporal dev server for the tests: ${server.address} (${server.cli?.path ?? 'downloaded by the SDK'})`);
  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  return () => server.stop();
}
