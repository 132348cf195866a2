// Which LSU schema applies to which schemaVersion, and the few differences the writer must
// honour. Sources (formats/xsd/README.md): 2.0 and 3.0 → Gepi's 2020-02-20 XSD (date-verrou
// required); 4.0 … 7.0 → OPEN-ENT-NG 2023-12-04 (date-verrou optional); 10.0 → OPEN-ENT-NG
// 2025-08-20 (date-verrou removed, decimal averages, statut-evaluation-*). 8.0 and 9.0 were never
// found: they are refused rather than guessed.

export const LSU_NAMESPACE = 'urn:fr:edu:scolarite:lsun:bilans:import';
export const LSU_LATEST_SCHEMA_VERSION = '10.0';

export type LockDateRule = 'required' | 'optional' | 'forbidden';

interface LsuSchemaInfo {
  /** File under formats/xsd/. */
  xsd: string;
  lockDate: LockDateRule;
}

const V2020: LsuSchemaInfo = { xsd: 'lsun-bilans_2.0-3.0_2020-02-20.xsd', lockDate: 'required' };
const V2023: LsuSchemaInfo = { xsd: 'lsun-bilans_2.0-7.0_2023-12-04.xsd', lockDate: 'optional' };
const V2025: LsuSchemaInfo = { xsd: 'lsun-bilans_10.0_2025-08-20.xsd', lockDate: 'forbidden' };

export const LSU_SCHEMAS: Readonly<Record<string, LsuSchemaInfo>> = {
  '2.0': V2020,
  '3.0': V2020,
  '4.0': V2023,
  '5.0': V2023,
  '6.0': V2023,
  '7.0': V2023,
  '10.0': V2025,
};

export function lsuSchemaInfo(schemaVersion: string): LsuSchemaInfo | undefined {
  return Object.hasOwn(LSU_SCHEMAS, schemaVersion) ? LSU_SCHEMAS[schemaVersion] : undefined;
}
