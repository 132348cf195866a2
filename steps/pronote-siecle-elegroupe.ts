// Synchro 5, PRONOTE → SIECLE élève-groupe: SIECLE's checks at deposit (name, year of the base in
// use, XSD, UAI; checks/check-file.ts depositEleGroupe) refuse the file at once; an accepted file
// is written to SIECLE's outbox once and processed at SIECLE's night (the connector's processNight).
import { depositEleGroupe } from '../checks/check-file';
import { expectedName, OFFICIAL_NAMES } from './official-names';
import { StepRejected } from './rejected';
import { depositOnce, siecleExports, storeFound, type StepHandler } from './context';
import { parsedFiles } from './parsed-files';

export const pronoteSiecleEleGroupe: StepHandler = async (ctx) => {
  const { uai, millesime, businessDate } = ctx.request;
  const found = await ctx.inbox.newest('pronote', OFFICIAL_NAMES.eleGroupe);
  if (!found) return { kind: 'waiting-file', expected: expectedName.eleGroupe(uai, millesime) };
  const { ref, bytes } = await storeFound(ctx, found, 'elegroupe');
  // SIECLE refuses the import until the school made one XML pupils export (DOMAIN.md).
  const pupilsExportDone = (await siecleExports(ctx.inbox)).some((f) => /^ExportXML_Eleves/i.test(f.name));
  const { deposit, parsed, serialized } = await depositEleGroupe(found.name, bytes, { uai, on: businessDate, pupilsExportDone });
  if (!deposit.accepted) throw new StepRejected(`Dépôt refusé par SIECLE : ${found.name}`, deposit.anomalies);
  // SIECLE's night reads these same bytes again (connectors/night.ts): kept in the worker's cache.
  if (parsed) await parsedFiles.remember(found.name, bytes, { kind: 'elegroupe', data: parsed }, serialized);
  const deposited = await depositOnce(ctx, 'siecle', ref.sha256, [{ name: found.name, bytes }]);
  // Already processed by a night (a re-run of a finished step): done, with the compte-rendu's anomalies.
  const night = await ctx.ledger.nightReport({ sha256: ref.sha256, name: found.name });
  if (night) return { kind: 'done', input: ref, anomalies: [...deposit.anomalies, ...night.anomalies], deposited };
  return { kind: 'queued-for-night', input: ref, anomalies: deposit.anomalies, deposited };
};
