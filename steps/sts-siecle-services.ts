// Synchro 4b, STS-Web → SIECLE services: a button in STS-Web, run after a person confirmed it.
// No SIECLE export read by the project carries the services (rules/correspondences.ts
// checkServicesInSiecle needs them), so there is no evidence to check. What is recorded instead
// is the truth: who confirmed the button and when (step_runs.confirmed_by / confirmed_at, from the
// school year's confirmManualStep update), and that STS-Web's own export is there and readable.
// No standing anomaly: an Informatif on every school, for a check nobody can make, said nothing.
// LSU's import report (« Disciplines non enseignées ») is where a missing service shows up.
import { OFFICIAL_NAMES } from './official-names';
import { readAs, storeFound, type StepHandler } from './context';
import { missingEvidence } from './sts-siecle-structure';

export const stsSiecleServices: StepHandler = async (ctx) => {
  const stsFile = await ctx.inbox.newest('sts', OFFICIAL_NAMES.stsEmp);
  if (!stsFile) return { kind: 'done', anomalies: [missingEvidence('Envoi des services non vérifié : aucun export sts_emp de STS-Web.')] };
  const { ref, bytes } = await storeFound(ctx, stsFile, 'sts-edt');
  await readAs(stsFile.name, bytes, ['sts-edt']);
  return { kind: 'done', input: ref, anomalies: [] };
};
