// Synchro 1, STS-Web → EDT: STS-Web's sts_emp (its millésime: SIECLE's + 1 in Nouvelle-Calédonie)
// goes to EDT under its own name once its UAI and year are the school's.
import { expectedName, OFFICIAL_NAMES } from './official-names';
import { checkStamp, depositOnce, millesimeFor, readStsAs, rejectIfBlocking, storeFound, type StepHandler } from './context';

export const stsEdt: StepHandler = async (ctx) => {
  const { uai, millesime } = ctx.request;
  const found = await ctx.inbox.newest('sts', OFFICIAL_NAMES.stsEmp);
  if (!found) return { kind: 'waiting-file', expected: expectedName.stsEmp(uai, millesimeFor('sts-web', uai, millesime)) };
  const { ref, bytes } = await storeFound(ctx, found, 'sts-edt');
  // DTD_STS_EDT.dtd (+ the 2018 blocks, informational), from the parse that reads it.
  const sts = await readStsAs(found.name, bytes, 'sts-edt', 'STS-Web → EDT refusé');
  const anomalies = [...sts.anomalies, ...checkStamp(found.name, sts.data.header, ctx.request, 'sts-web')];
  rejectIfBlocking('STS-Web → EDT refusé', anomalies);
  const deposited = await depositOnce(ctx, 'edt', ref.sha256, [{ name: found.name, bytes }]);
  return { kind: 'done', input: ref, anomalies, deposited };
};
