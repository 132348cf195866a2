// `synchro schools contacts UAI [--add MAIL…] [--remove MAIL…] [--json]`: who is told by e-mail
// about a school's steps (failures, files expected for days, the night's compte-rendu). Lists the
// school's addresses after the changes. A subcommand of `schools`, in its own file.
import type { Command } from 'commander';
import { addContact, listContacts, removeContact } from '../../../db/queries/notifications';
import { getSchool } from '../../../db/queries/schools';
import { uaiProblem } from '../../../formats/uai';
import { EXIT } from '../command';
import { withDatabase } from '../with-database';

/** Deliberately simple: one @, no spaces, a dot in the domain; the SMTP server has the last word. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function register(program: Command): void {
  const schools = program.commands.find((c) => c.name() === 'schools') ?? program.command('schools');
  schools
    .command('contacts <uai>')
    .description("Adresses électroniques prévenues des échecs, des fichiers attendus et du compte-rendu de nuit de l'établissement.")
    .option('--add <adresse>', 'ajoute une adresse (répétable)', collect, [])
    .option('--remove <adresse>', 'retire une adresse (répétable)', collect, [])
    .option('--json', 'sortie JSON pour les scripts')
    .action((given: string, options: { add: string[]; remove: string[]; json?: boolean }) => {
      const uai = given.toUpperCase();
      const problem = uaiProblem(uai) ?? [...options.add, ...options.remove].map((a) => (EMAIL.test(a) ? undefined : `Adresse invalide : « ${a} ».`)).find(Boolean);
      if (problem) {
        console.error(problem);
        process.exitCode = EXIT.usage;
        return Promise.resolve();
      }
      return withDatabase(async (db) => {
        if (!(await getSchool(db, uai))) {
          console.error(`Établissement ${uai} inconnu : l'ajouter avec « synchro schools add ».`);
          process.exitCode = EXIT.failed;
          return;
        }
        for (const a of options.add) await addContact(db, uai, a);
        for (const a of options.remove) await removeContact(db, uai, a);
        const contacts = await listContacts(db, uai);
        if (options.json) console.log(JSON.stringify({ uai, contacts }));
        else if (contacts.length === 0) console.log(`${uai} : aucune adresse (« --add adresse@… »).`);
        else for (const c of contacts) console.log(c);
      });
    });
}
