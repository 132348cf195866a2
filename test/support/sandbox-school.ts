// A sandbox collège ready for its steps: a fresh step harness, the school provisioned in its data
// dir (connectors/sandbox.ts: the generated exports in each application's inbox) and the sandbox
// connector that serves it.
import { createSandboxConnector, provisionSandboxSchool, type ProvisionedSchool } from '../../connectors/sandbox';
import type { Connector } from '../../connectors/types';
import type { FaultSpec } from '../../generators/index';
import { openHarness, type Harness } from './step-harness';

export interface SandboxSchool {
  h: Harness;
  connector: Connector;
  provisioned: ProvisionedSchool;
}

/** `register`: also registered in the harness's database with the sandbox connector. Close with `h.close()`. */
export async function openSandboxSchool(school: { uai: string; millesime: number }, options: { seed: number; faults?: FaultSpec[]; register?: boolean }): Promise<SandboxSchool> {
  const h = await openHarness();
  try {
    const connector = createSandboxConnector({ dataDir: h.dataDir, db: h.db, store: h.store });
    const provisioned = await provisionSandboxSchool({
      dataDir: h.dataDir, uai: school.uai, kind: 'college', millesime: school.millesime, seed: options.seed,
      ...(options.faults && { faults: options.faults }), ...(options.register && { db: h.db }),
    });
    return { h, connector, provisioned };
  } catch (error) {
    await h.close();
    throw error;
  }
}
