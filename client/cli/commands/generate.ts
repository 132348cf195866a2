// `synchro generate`: writes a generated school's exchange files (STS, EDT, SIECLE, PRONOTE, LSU)
// under a folder, with faults injected on demand: test data for the chain, never real pupils.
import type { Command } from 'commander';
import { FAULT_KINDS, generateSchool, writeSchoolFolder } from '../../../generators/index.js';
import type { FaultFile, FaultKind, FaultSpec } from '../../../generators/index.js';
import { uaiProblem } from '../../../formats/uai.js';
import { EXIT } from '../command';

const FAULT_FILES: readonly FaultFile[] = ['elegroupe', 'lsu', 'sts-emp', 'emp-sts', 'siecle'];

interface GenerateOptions {
  out?: string;
  kind: string;
  pupils?: string;
  uai?: string;
  millesime: string;
  seed: string;
  fault: string[];
  json?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `kind` or `kind:file` (e.g. `wrong-millesime:sts-emp`). */
function parseFault(text: string): FaultSpec | string {
  const [kind, file] = text.split(':');
  if (!FAULT_KINDS.includes(kind as FaultKind)) return `défaut inconnu « ${text} » (attendus : ${FAULT_KINDS.join(', ')}).`;
  if (file !== undefined && !FAULT_FILES.includes(file as FaultFile)) return `fichier inconnu « ${file} » pour le défaut ${kind} (attendus : ${FAULT_FILES.join(', ')}).`;
  return { kind: kind as FaultKind, ...(file !== undefined && { file: file as FaultFile }) };
}

function integer(text: string | undefined, what: string, min: number): number | string | undefined {
  if (text === undefined) return undefined;
  return /^\d+$/.test(text) && Number(text) >= min ? Number(text) : `${what} invalide « ${text} » (entier ≥ ${min} attendu).`;
}

function usage(message: string): void {
  console.error(`synchro generate : ${message}`);
  process.exitCode = EXIT.usage;
}

export function register(program: Command): void {
  program
    .command('generate')
    .description("Génère un établissement fictif cohérent et ses fichiers d'échange (STS-Web, EDT, SIECLE, PRONOTE, LSU), avec des défauts à la demande.")
    .option('--out <dossier>', 'dossier de sortie (obligatoire) : sous-dossiers sts/, edt/, siecle/, pronote/, lsu/')
    .option('--kind <type>', 'college ou lycee', 'college')
    .option('--pupils <n>', "nombre d'élèves (600 pour un collège, 2500 pour un lycée par défaut)")
    .option('--uai <uai>', "UAI de l'établissement (par défaut tiré de la graine), ex. 9830418M")
    .option('--millesime <aaaa>', 'millésime SIECLE (2017 = 2017-2018 ; février–décembre 2018 en Nouvelle-Calédonie)', '2017')
    .option('--seed <n>', 'graine : même graine, mêmes fichiers octet pour octet', '1')
    .option('--fault <défaut>', `défaut à injecter, répétable, forme défaut[:fichier] ; défauts : ${FAULT_KINDS.join(', ')}`, collect, [])
    .option('--json', 'sortie JSON : fichiers écrits et défauts injectés')
    .action(async (options: GenerateOptions) => {
      if (!options.out) return usage("l'option --out <dossier> est obligatoire.");
      if (options.kind !== 'college' && options.kind !== 'lycee') return usage(`--kind « ${options.kind} » inconnu : college ou lycee.`);
      const pupils = integer(options.pupils, "nombre d'élèves", 8);
      const millesime = integer(options.millesime, 'millésime', 1990);
      const seed = integer(options.seed, 'graine', 0);
      for (const value of [pupils, millesime, seed]) if (typeof value === 'string') return usage(value);
      if (options.uai !== undefined && uaiProblem(options.uai)) return usage(uaiProblem(options.uai)!);
      const faults: FaultSpec[] = [];
      for (const text of options.fault) {
        const fault = parseFault(text);
        if (typeof fault === 'string') return usage(fault);
        faults.push(fault);
      }
      let generated;
      try {
        generated = generateSchool({
          kind: options.kind, millesime: millesime as number, seed: seed as number, faults,
          ...(pupils !== undefined && { pupils: pupils as number }), ...(options.uai !== undefined && { uai: options.uai }),
        });
      } catch (error) {
        return usage((error as Error).message);
      }
      const files = await writeSchoolFolder(generated.model, options.out);
      const { model, injected } = generated;
      if (options.json) {
        console.log(JSON.stringify({ uai: model.uai, millesime: model.millesime, stsMillesime: model.stsMillesime, dir: options.out, files, injected }, null, 2));
      } else {
        console.log(`${model.name} (${model.uai}), millésime SIECLE ${model.millesime}, ${model.pupils.length} élèves, ${model.divisions.length} divisions, ${model.groups.length} groupes.`);
        for (const f of files) console.log(`  ${f.path} (${f.bytes} octets)`);
        for (const f of injected) console.log(`  défaut ${f.kind} → ${f.file}${f.eleveId ? `, élève ${f.eleveId}` : ''}${f.group ? `, groupe ${f.group}` : ''} : ${f.code}`);
      }
      process.exitCode = EXIT.ok;
    });
}
