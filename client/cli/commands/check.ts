// `synchro check FILE... [--reference DIR] [--uai UAI] [--on YYYY-MM-DD] [--json]`: what SIECLE
// will say tomorrow and what LSU will reject, before anything is deposited. Exit code: 0 all
// accepted, 1 accepted with anomalies, 2 at least one file rejected (EXIT).
import type { Command } from 'commander';
import { uaiProblem } from '../../../formats/uai.js';
import { isIsoDate } from '../../../rules/dates.js';
import { checkYearsAndUais } from '../../../rules/correspondences.js';
import { checkFile, verdictOf, type FileResult } from '../../../checks/check-file.js';
import { loadReference, referenceUai, type Reference } from '../../../checks/reference.js';
import { renderResult } from '../check/render.js';
import { EXIT } from '../command';
import { dateValue } from '../option-values';

interface CheckCliOptions {
  reference?: string;
  uai?: string;
  on?: string;
  json?: boolean;
}

function usage(message: string): void {
  console.error(`synchro check : ${message}`);
  process.exitCode = EXIT.usage;
}

/** Today in local time: the business date when none is given (the only clock read of the command). */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Years and UAIs of STS/EDT/SIECLE files against the others (élève-groupe and LSU check their own). */
function crossCheck(results: FileResult[], reference: Reference | undefined, uai: string | undefined): void {
  const own = results.filter((r) => r.header && r.kind !== 'elegroupe' && r.kind !== 'lsu-bilans');
  if (own.length === 0) return;
  const headers = [...own.map((r) => ({ file: r.file, header: r.header! })), ...(reference?.headers ?? [])];
  const anomalies = checkYearsAndUais(headers, uai ? { uai } : {});
  for (const r of own) {
    const mine = anomalies.filter((a) => a.subject?.file === r.file);
    if (mine.length === 0) continue;
    r.anomalies.push(...mine);
    r.verdict = verdictOf(r.anomalies);
  }
}

export function register(program: Command): void {
  program
    .command('check')
    .description("Contrôle des fichiers d'échange avant dépôt : refus SIECLE, compte-rendu du traitement de nuit, rapport d'exécution LSU.")
    .argument('<fichiers...>', 'fichiers à contrôler (zip élève-groupe, import_lsu_*.xml, sts_emp, exports SIECLE…)')
    .option('--reference <dossier>', "exports SIECLE de l'établissement (zips ou XML), son sts_emp, et lsu-state.json : active la simulation")
    .option('--uai <uai>', "UAI de l'établissement qui dépose (par défaut : celui des exports de référence)")
    .option('--on <aaaa-mm-jj>', 'date métier du dépôt (par défaut : aujourd\'hui)', dateValue)
    .option('--json', 'sortie JSON : { files: [ { file, kind, uai, millesime, verdict, anomalies, counts } ] }')
    .action(async (files: string[], options: CheckCliOptions) => {
      if (options.uai !== undefined && uaiProblem(options.uai)) return usage(uaiProblem(options.uai)!);
      const on = options.on ?? today();
      if (!isIsoDate(on)) return usage(`--on « ${String(options.on)} » : date AAAA-MM-JJ attendue.`);
      let reference: Reference | undefined;
      if (options.reference) {
        try {
          reference = await loadReference(options.reference);
        } catch (error) {
          return usage(`dossier de référence illisible : ${error instanceof Error ? error.message : String(error)}`);
        }
        for (const w of reference.warnings) console.error(`synchro check : ${w}`);
      }
      const uai = options.uai ?? referenceUai(reference);
      // A reference file that is there but unreadable is reported as a rejected file of its own.
      const results: FileResult[] = (reference?.unreadable ?? []).map((u) => ({ file: u.file, kind: 'reference', verdict: 'rejected', anomalies: [u.anomaly], counts: {} }));
      for (const file of files) results.push(await checkFile(file, { ...(reference && { reference }), ...(uai && { uai }), on }));
      crossCheck(results, reference, uai);

      if (options.json) {
        const files = results.map(({ file, kind, uai: u, millesime, verdict, anomalies, counts }) => ({ file, kind, uai: u ?? null, millesime: millesime ?? null, verdict, anomalies, counts }));
        console.log(JSON.stringify({ files }, null, 2));
      } else {
        for (const r of results) console.log(renderResult(r));
      }
      const verdicts = new Set(results.map((r) => r.verdict));
      process.exitCode = verdicts.has('rejected') ? EXIT.failed : verdicts.has('accepted-with-anomalies') ? EXIT.anomalies : EXIT.ok;
    });
}
