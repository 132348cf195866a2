// The connector of a school, from its `schools` row (connector_kind 'folder' | 'sandbox'). One
// connector per kind for the whole process: they hold no per-school state.
import type { Db } from '../db/client';
import { getSchool } from '../db/queries/schools';
import type { School } from '../db/schema';
import { StepRejected } from '../steps/rejected';
import { createFolderConnector, type ConnectorDeps } from './folder';
import { createSandboxConnector } from './sandbox';
import type { Connector, ConnectorKind } from './types';

export { createContentStore } from './content-store';
export { createFolderConnector, type ConnectorDeps } from './folder';
export { createSandboxConnector, provisionSandboxSchool, type ProvisionOptions, type ProvisionedSchool, type SandboxSettings } from './sandbox';
export type * from './types';

export interface Connectors {
  connectorFor(school: Pick<School, 'connectorKind'>): Connector;
  /** For the activities (StepActivityDeps.connectorFor): a school the database does not know is bad input. */
  connectorForUai(uai: string): Promise<Connector>;
}

export function createConnectors(deps: ConnectorDeps & { db: Db }): Connectors {
  const made = new Map<ConnectorKind, Connector>();
  const connectorFor = (school: Pick<School, 'connectorKind'>): Connector => {
    const kind = school.connectorKind;
    let connector = made.get(kind);
    if (!connector) {
      connector = kind === 'sandbox' ? createSandboxConnector(deps) : createFolderConnector(deps);
      made.set(kind, connector);
    }
    return connector;
  };
  return {
    connectorFor,
    async connectorForUai(uai) {
      const school = await getSchool(deps.db, uai);
      if (!school) {
        throw new StepRejected(`Établissement inconnu : ${uai}`, [{ code: 'ETABLISSEMENT_INCONNU', level: 'blocking', message: `L'établissement ${uai} n'est pas enregistré.`, correction: "Enregistrer l'établissement (UAI, académie, connecteur) avant de lancer sa chaîne." }]);
      }
      return connectorFor(school);
    },
  };
}
