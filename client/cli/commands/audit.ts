// `synchro audit [--uai UAI] [--since AAAA-MM-JJ] [--json]`: the audit log, newest first — who
// (subject and name, or "jeton"), did what (sign-in, confirmation, re-run, upload…), when, from
// which address. The log is append-only: nothing here (nor a re-run) deletes a row.
import type { Command } from 'commander';
import { listAudit } from '../../../db/queries/audit';
import type { AuditEntry } from '../../../db/schema';
import { EXIT } from '../command';
import { withDatabase } from '../with-database';

interface AuditOptions {
  uai?: string;
  since?: string;
  limit?: string;
  json?: boolean;
}

function render(entries: AuditEntry[]): string {
  if (entries.length === 0) return 'Aucune action enregistrée.';
  return entries
    .map((e) => {
      const who = e.actorName ? `${e.actorSubject} (${e.actorName})` : e.actorSubject;
      const details = Object.entries(e.details).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
      return `${e.at.toISOString().replace('T', ' ').slice(0, 19)}  ${(e.uai ?? '—').padEnd(8)}  ${e.action.padEnd(9)}  ${who}  ${e.address ?? '—'}  ${details}`;
    })
    .join('\n');
}

export function register(program: Command): void {
  program
    .command('audit')
    .description("Journal des actions (connexions, dépôts, confirmations, relances) : qui, quoi, quand, depuis quelle adresse.")
    .option('--uai <uai>', 'un établissement')
    .option('--since <aaaa-mm-jj>', 'depuis ce jour (00:00 UTC)')
    .option('--limit <n>', 'nombre maximal de lignes', '500')
    .option('--json', 'sortie JSON')
    .action(async (options: AuditOptions) => {
      let since: Date | undefined;
      if (options.since !== undefined) {
        since = /^\d{4}-\d{2}-\d{2}$/.test(options.since) ? new Date(`${options.since}T00:00:00Z`) : undefined;
        if (!since || Number.isNaN(since.getTime())) {
          console.error(`Date invalide « ${options.since} » : attendu AAAA-MM-JJ.`);
          process.exitCode = EXIT.usage;
          return;
        }
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
        console.error(`Limite invalide « ${options.limit} » : un entier de 1 à 100000.`);
        process.exitCode = EXIT.usage;
        return;
      }
      if (options.uai !== undefined && !/^\d{7}[A-Za-z]$/.test(options.uai)) {
        console.error(`UAI invalide « ${options.uai} ».`);
        process.exitCode = EXIT.usage;
        return;
      }
      await withDatabase(async (db) => {
        const entries = await listAudit(db, { uai: options.uai?.toUpperCase(), since, limit });
        console.log(
          options.json
            ? JSON.stringify({ entries: entries.map((e) => ({ id: e.id, at: e.at.toISOString(), actor: { subject: e.actorSubject, ...(e.actorName !== null && { name: e.actorName }) }, action: e.action, uai: e.uai, address: e.address, details: e.details })) }, null, 2)
            : render(entries),
        );
        process.exitCode = EXIT.ok;
      });
    });
}
