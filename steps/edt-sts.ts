// Synchro 3, EDT → STS-Web: EDT's emp_sts (services and groups; STS-Web's millésime, ASSUMED in
// rules/calendar-table.ts) goes to STS-Web. Every group EDT grades must exist in STS-Web with a
// service of that subject (seed 004): checked against STS-Web's newest sts_emp, as warnings.
import { checkGradedGroups, gradedGroupsOf } from '../rules/correspondences';
import type { Anomaly } from '../rules/anomaly';
import { expectedName, OFFICIAL_NAMES } from './official-names';
import { checkStamp, depositOnce, millesimeFor, readAs, readStsAs, rejectIfBlocking, storeFound, type StepHandler } from './context';

export const edtSts: StepHandler = async (ctx) => {
  const { uai, millesime } = ctx.request;
  const found = await ctx.inbox.newest('edt', OFFICIAL_NAMES.empSts);
  if (!found) return { kind: 'waiting-file', expected: expectedName.empSts(uai, millesimeFor('edt', uai, millesime)) };
  const { ref, bytes } = await storeFound(ctx, found, 'edt-sts');
  // DTD_EDT_STS.dtd (what STS-Web accepts), from the parse that reads it.
  const edt = await readStsAs(found.name, bytes, 'edt-sts', 'EDT → STS-Web refusé');
  const anomalies: Anomaly[] = [...edt.anomalies, ...checkStamp(found.name, edt.data.header, ctx.request, 'edt')];
  rejectIfBlocking('EDT → STS-Web refusé', anomalies);
  const stsFile = await ctx.inbox.newest('sts', OFFICIAL_NAMES.stsEmp);
  if (stsFile) {
    const { bytes: stsBytes } = await storeFound(ctx, stsFile, 'sts-edt');
    const sts = await readAs(stsFile.name, stsBytes, ['sts-edt']);
    anomalies.push(...checkGradedGroups(gradedGroupsOf(edt.data), sts.data));
  } else {
    anomalies.push({
      code: 'CORRESPONDANCES_NON_CONTROLEES', level: 'info',
      message: "Aucun export sts_emp de STS-Web : les groupes notés dans EDT n'ont pas pu être comparés à ceux de STS-Web.", subject: { file: found.name },
    });
  }
  const deposited = await depositOnce(ctx, 'sts', ref.sha256, [{ name: found.name, bytes }]);
  return { kind: 'done', input: ref, anomalies, deposited };
};
