// Seed 003, LSU "synchronisation base élèves": LSU takes the school, classes, pupils and teachers
// from SIECLE and STS-Web (no file is handed over). Simulated with rules/lsu-base-sync.ts against
// the school's SIECLE exports, sts_emp and LSU's state (lsu/inbox/lsu-state.json, empty when
// absent). Periods not set for a class: Bloquant, the synchronisation is refused.
import type { BaseSyncChange } from '../rules/lsu-base-sync';
import { simulateBaseSync } from '../rules/lsu-base-sync';
import { EMPTY_LSU_STATE } from '../rules/lsu-state';
import { expectedName } from './official-names';
import { rejectIfBlocking, schoolReference, type StepHandler } from './context';

/** Pupils' values (names, birth dates, INE) stay out of the report: which field changed is enough. */
function withoutPupilValues(c: BaseSyncChange): BaseSyncChange {
  return c.scope === 'eleve' || c.scope === 'bilan' ? { scope: c.scope, id: c.id, field: c.field } : c;
}

export const lsuBaseSync: StepHandler = async (ctx) => {
  const { millesime, period } = ctx.request;
  const ref = await schoolReference(ctx.inbox, { siecle: ['Eleves', 'Structures', 'Communs'], sts: true, state: true });
  if (!ref.eleves) return { kind: 'waiting-file', expected: expectedName.siecleExport('ElevesSansAdresses') };
  if (!ref.structures) return { kind: 'waiting-file', expected: expectedName.siecleExport('Structures') };
  const report = simulateBaseSync({
    state: ref.state ?? EMPTY_LSU_STATE, eleves: ref.eleves, structures: ref.structures, ...(ref.communs && { communs: ref.communs }), ...(ref.sts && { sts: ref.sts }),
  });
  rejectIfBlocking('Synchronisation base élèves refusée par LSU', report.anomalies);
  const name = `synchronisation-base-eleves-${millesime}${period !== undefined ? `-P${period}` : ''}.json`;
  await ctx.reports.writeJson('lsu', name, {
    date: ctx.request.businessDate, messages: report.messages, lockedBilansKept: report.lockedBilansKept, changes: report.changes.map(withoutPupilValues), anomalies: report.anomalies,
  });
  return { kind: 'done', anomalies: report.anomalies };
};
