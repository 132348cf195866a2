// Synchro 4b, STS-Web → SIECLE services: a button in STS-Web, run after a person confirmed it.
// No SIECLE export read by the project carries the services (rules/correspondences.ts
// checkServicesInSiecle needs them): the step says so as information, and warns when even
// STS-Web's own export is missing.
import type { Anomaly } from '../rules/anomaly';
import { OFFICIAL_NAMES } from '../connectors/school-folders';
import { readAs, storeFound, type StepHandler } from './context';
import { missingEvidence } from './sts-siecle-structure';

export const stsSiecleServices: StepHandler = async (ctx) => {
  const stsFile = await ctx.folders.newest('sts', 'inbox', OFFICIAL_NAMES.stsEmp);
  if (!stsFile) return { kind: 'done', anomalies: [missingEvidence('Envoi des services non vérifié : aucun export sts_emp de STS-Web.')] };
  const { ref, bytes } = await storeFound(ctx, stsFile, 'sts-edt');
  const sts = await readAs(stsFile.name, bytes, ['sts-edt']);
  const services = sts.data.divisions.reduce((n, d) => n + d.services.length, 0) + sts.data.groups.reduce((n, g) => n + g.services.length, 0);
  const anomalies: Anomaly[] = [{
    code: 'PREUVE_NON_CONTROLEE', level: 'info',
    message: `Envoi des services non vérifiable : aucun export SIECLE ne contient les services (${services} services dans STS-Web). Vérifier dans SIECLE, ou au plus tard dans le rapport d'import LSU (« Disciplines non enseignées »).`,
    subject: { file: stsFile.name },
  }];
  return { kind: 'done', input: ref, anomalies };
};
