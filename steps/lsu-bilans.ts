// Seeds 000-002, PRONOTE → LSU bilans (end of every period): the newest import_lsu_*.xml is kept in
// the store, streamed through LSU's import checks (checks/check-file.ts checkLsuFile: its XSD,
// beside formats/lsu-bilans readLsuBilans + rules/lsu-import, bounded memory), the
// rapport d'exécution written to lsu/reports, and the file handed to LSU once. A Bloquant file
// (wrong UAI, not XML, over 100 Mo…) fails the step; rejected bilans are errors of a done step.
import { open, readFile } from 'node:fs/promises';
import { checkLsuFile } from '../checks/check-file';
import { StepRejected } from './rejected';
import { expectedName, OFFICIAL_NAMES } from './official-names';
import type { StoredFileRef } from './ports';
import { depositOnce, schoolReference, type StepContext, type StepHandler } from './context';

/** Heartbeat every this many bilans: an import of all classes can take long (seed 002). */
const HEARTBEAT_EVERY = 200;

async function storeBig(ctx: StepContext, name: string, path: string): Promise<StoredFileRef> {
  const store = ctx.env.store;
  const ref = store.putFile ? await store.putFile(name, path) : await store.put(name, await readFile(path));
  await ctx.ledger.recordFile(ref, 'lsu-bilans');
  return ref;
}

async function head(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export const lsuBilans: StepHandler = async (ctx) => {
  const { uai, businessDate, period } = ctx.request;
  const found = await ctx.inbox.newest('lsu', OFFICIAL_NAMES.lsu);
  if (!found) return { kind: 'waiting-file', expected: expectedName.lsu() };
  const ref = await storeBig(ctx, found.name, found.path);
  const path = ctx.env.store.pathOf(ref);
  const reference = await schoolReference(ctx.inbox, { siecle: ['Eleves', 'Structures', 'Communs', 'Nomenclature'], sts: true, state: true });
  let read = 0;
  ctx.env.heartbeat({ step: 'lsu-bilans', bilans: 0 });
  const report = await checkLsuFile(path, found.name, ref.bytes, await head(path), {
    uai, on: businessDate, reference,
    onBilan: () => {
      read += 1;
      if (read % HEARTBEAT_EVERY === 0) ctx.env.heartbeat({ step: 'lsu-bilans', bilans: read });
    },
    onProgress: () => ctx.env.heartbeat({ step: 'lsu-bilans', bilans: read }),
  });
  await ctx.reports.writeJson('lsu', `rapport-${found.name.replace(/\.xml$/i, '')}${period !== undefined ? `-P${period}` : ''}.json`, report);
  if (report.verdict === 'rejected') throw new StepRejected(`Fichier rejeté par LSU : ${found.name}`, report.anomalies);
  const deposited = await depositOnce(ctx, 'lsu', ref.sha256, [{ name: found.name, fromPath: path }]);
  return { kind: 'done', input: ref, anomalies: report.anomalies, deposited };
};
