// `synchro schools add|list|import`: the schools this installation looks after. `import` takes
// the académie's list as CSV (uai;nom;academie[;connecteur]) and registers all of it or, when a
// line is wrong, nothing (every wrong line is listed, so that one fix is enough).
import type { Command } from 'commander';
import { listSchools } from '../../../db/queries/schools';
import type { ConnectorKind } from '../../../db/schema';
import { importSchoolList } from '../../actions/import-schools';
import { registerSchool } from '../../actions/register-schools';
import { EXIT } from '../command';
import { withDatabase } from '../with-database';

export function register(program: Command): void {
  const schools = program.command('schools').description('Les établissements suivis : ajout, liste, import de la liste de l’académie.');

  schools
    .command('add <uai>')
    .description('Ajoute (ou met à jour) un établissement et crée ses dossiers de dépôt.')
    .requiredOption('--name <nom>', "nom de l'établissement")
    .requiredOption('--academie <nom>', 'académie')
    .option('--connector <type>', 'folder (dossiers de dépôt) ou sandbox (applications simulées)', 'folder')
    .option('--json', 'sortie JSON pour les scripts')
    .action((uai: string, options: { name: string; academie: string; connector: string; json?: boolean }) =>
      withDatabase(async (db, settings) => {
        try {
          const school = await registerSchool(db, settings.dataDir, { uai: uai.toUpperCase(), name: options.name, academie: options.academie, connector: options.connector as ConnectorKind });
          console.log(options.json ? JSON.stringify(school) : `${school.uai} ${school.name} (${school.academie}, calendrier ${school.calendarZone}, connecteur ${school.connectorKind}) enregistré.`);
        } catch (error) {
          console.error(error instanceof Error ? error.message : String(error));
          process.exitCode = EXIT.usage;
        }
      }));

  schools
    .command('list')
    .description('Liste les établissements enregistrés.')
    .option('--academie <nom>', 'une académie')
    .option('--json', 'sortie JSON pour les scripts')
    .action((options: { academie?: string; json?: boolean }) =>
      withDatabase(async (db) => {
        const rows = (await listSchools(db)).filter((s) => options.academie === undefined || s.academie === options.academie);
        const list = rows.map((s) => ({ uai: s.uai, name: s.name, academie: s.academie, calendarZone: s.calendarZone, connector: s.connectorKind }));
        if (options.json) console.log(JSON.stringify({ schools: list }, null, 2));
        else if (list.length === 0) console.log('Aucun établissement enregistré : « synchro schools add » ou « synchro schools import ».');
        else for (const s of list) console.log(`${s.uai}  ${s.name.padEnd(36)} ${s.academie.padEnd(20)} ${s.calendarZone.padEnd(14)} ${s.connector}`);
      }));

  schools
    .command('import <fichier>')
    .description("Importe la liste des établissements (CSV, colonnes uai;nom;academie[;connecteur]) : tout ou rien.")
    .option('--json', 'sortie JSON pour les scripts')
    .action((file: string, options: { json?: boolean }) =>
      withDatabase(async (db, settings) => {
        let result: { imported: number; problems: string[] };
        try {
          result = await importSchoolList(db, settings.dataDir, file);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'ENOENT' && code !== 'EACCES' && code !== 'EISDIR') throw error;
          result = { imported: 0, problems: [code === 'ENOENT' ? 'fichier introuvable.' : code === 'EISDIR' ? "c'est un dossier, pas un fichier." : 'lecture refusée par le système (droits du fichier).'] };
        }
        const { imported, problems } = result;
        if (problems.length > 0) {
          if (options.json) console.log(JSON.stringify({ imported: 0, problems }, null, 2));
          else console.error([`${file} : rien n'a été importé.`, ...problems.map((p) => `  ${p}`)].join('\n'));
          process.exitCode = EXIT.failed;
          return;
        }
        console.log(options.json ? JSON.stringify({ imported, problems: [] }) : `${imported} établissement(s) importé(s).`);
      }));
}
