// A demo state of three schools (Paris, Nouvelle-Calédonie, Grenoble) at varied points of the
// chain, written through db/queries with anomalies built by the rules' own message helpers: the
// dashboard's screenshot, its browser test and `synchro web --demo` all show this. Pupils appear
// by ELEVE_ID only, as in the real reports.
import type { Db } from '../../db/client';
import { insertAnomalies } from '../../db/queries/anomalies';
import { upsertSchool } from '../../db/queries/schools';
import { finishStepRun, setStepStatus, startStepRun } from '../../db/queries/step-runs';
import { countByLevel, type Anomaly } from '../../rules/anomaly';
import { lsuAnomaly } from '../../rules/lsu-bilan-checks';
import { EXPLANATIONS, siecleMessage } from '../../rules/messages';
import { schoolYearWorkflowId, stepWorkflowId, termWorkflowId } from '../../workflows/ids';
import type { StepId, StepStatus } from '../../workflows/steps';

export const DEMO_MILLESIME = 2025;

async function run(db: Db, uai: string, step: StepId, status: StepStatus, anomalies: Anomaly[] = [], more: { period?: number; rerunOf?: number; attempt?: number; inputSha256?: string } = {}): Promise<number> {
  const parent = more.period === undefined ? schoolYearWorkflowId(uai, DEMO_MILLESIME) : termWorkflowId(uai, DEMO_MILLESIME, more.period);
  const started = await startStepRun(db, {
    uai,
    millesime: DEMO_MILLESIME,
    step,
    period: more.period ?? null,
    inputSha256: more.inputSha256 ?? null,
    workflowId: more.rerunOf === undefined ? stepWorkflowId(parent, step) : `rerun/${more.rerunOf}/2025-11-18T07:42:00.000Z`,
    runId: status === 'waiting-person' ? '' : `demo-${uai}-${step}-${more.rerunOf ?? 0}`,
    rerunOf: more.rerunOf ?? null,
    attempt: more.attempt ?? 1,
  });
  await insertAnomalies(db, anomalies.map((a) => ({ ...a, stepRunId: started.id })));
  if (status === 'running' || status === 'pending' || status === 'waiting-file' || status === 'waiting-person' || status === 'blocked') await setStepStatus(db, started.id, status);
  else await finishStepRun(db, started.id, status, countByLevel(anomalies));
  return started.id;
}

const groupUnknown = (group: string, pupilId: string): Anomaly => ({
  code: 'GROUPE_A_01', level: 'error', label: 'GROUPE', message: siecleMessage('GROUPE_A_01', group), subject: { pupilId, groupCode: group }, ...EXPLANATIONS.GROUPE_A_01,
});
const dateOutside = (group: string, pupilId: string): Anomaly => ({
  code: 'ELEGRP_A_02', level: 'warning', label: 'ELEGRP', subject: { pupilId, groupCode: group }, ...EXPLANATIONS.ELEGRP_A_02,
  message: siecleMessage('ELEGRP_A_02', '25/08/2025', group, '01/09/2025', '04/07/2026', '01/09/2025'),
});

export async function seedDemoState(db: Db): Promise<void> {
  await upsertSchool(db, { uai: '0750680G', name: 'Lycée Charlemagne', academie: 'Paris', calendarZone: 'metropole' });
  await upsertSchool(db, { uai: '9830418M', name: 'Collège de Rivière-Salée', academie: 'Nouvelle-Calédonie', calendarZone: 'pacifique-sud' });
  await upsertSchool(db, { uai: '0382032C', name: 'Collège Les Buclos', academie: 'Grenoble', calendarZone: 'metropole' });

  // Paris: the élève-groupe file was refused in part by SIECLE's night.
  await run(db, '0750680G', 'sts-edt', 'succeeded');
  await run(db, '0750680G', 'siecle-pronote', 'succeeded');
  await run(db, '0750680G', 'edt-sts', 'succeeded-with-anomalies', [
    lsuAnomaly('ENSEIGNANT_SANS_SERVICE', 'warning', "L'enseignant 8842 n'a aucun service d'enseignement dans la division 2NDE3.", { teacherId: '8842', division: '2NDE3' }),
  ]);
  await run(db, '0750680G', 'sts-siecle-structure', 'succeeded');
  await run(db, '0750680G', 'sts-siecle-services', 'succeeded');
  await run(db, '0750680G', 'pronote-siecle-elegroupe', 'failed', [
    groupUnknown('2NDE3_ESP2', '2104518'), groupUnknown('2NDE3_ESP2', '2104533'), groupUnknown('2NDE3_ESP2', '2104561'),
    dateOutside('1G2_SES', '2098877'), dateOutside('1G2_SES', '2098902'),
  ], { attempt: 2, inputSha256: 'a3f1c0de' });

  // Nouvelle-Calédonie (February–December year): waiting for the structure button in STS-Web.
  await run(db, '9830418M', 'sts-edt', 'succeeded');
  await run(db, '9830418M', 'siecle-pronote', 'succeeded');
  await run(db, '9830418M', 'edt-sts', 'succeeded');
  await run(db, '9830418M', 'sts-siecle-structure', 'waiting-person');
  await run(db, '9830418M', 'sts-siecle-services', 'pending');

  // Grenoble: élève-groupe failed once then re-run; LSU refused the first term's bilans.
  for (const step of ['sts-edt', 'siecle-pronote', 'edt-sts', 'sts-siecle-structure', 'sts-siecle-services'] as const) await run(db, '0382032C', step, 'succeeded');
  const failed = await run(db, '0382032C', 'pronote-siecle-elegroupe', 'failed', [groupUnknown('4A_LAT', '2201187')], { inputSha256: '5be0a7c2' });
  await run(db, '0382032C', 'pronote-siecle-elegroupe', 'succeeded-with-anomalies', [dateOutside('4A_LAT', '2201187')], { rerunOf: failed, inputSha256: '5be0a7c2' });
  await run(db, '0382032C', 'lsu-base-sync', 'succeeded');
  await run(db, '0382032C', 'lsu-bilans', 'failed', [
    lsuAnomaly('ENSEIGNANT_INCONNU', 'error', "L'enseignant ENS_1207 du bilan de l'élève 2201187 (5B, période 1) n'est pas connu de LSU.", { pupilId: '2201187', teacherId: 'ENS_1207', division: '5B' }),
    lsuAnomaly('ENSEIGNANT_INCONNU', 'error', "L'enseignant ENS_1207 du bilan de l'élève 2201190 (5B, période 1) n'est pas connu de LSU.", { pupilId: '2201190', teacherId: 'ENS_1207', division: '5B' }),
    lsuAnomaly('ENSEIGNANT_INCONNU', 'error', "L'enseignant ENS_1207 du bilan de l'élève 2201203 (5B, période 1) n'est pas connu de LSU.", { pupilId: '2201203', teacherId: 'ENS_1207', division: '5B' }),
    lsuAnomaly('DISCIPLINES_NON_ENSEIGNEES', 'warning', "La discipline LCA LATIN n'est pas enseignée dans la classe 5B.", { division: '5B' }),
  ], { period: 1 });
}
