// Values of options and arguments, checked by commander before any action runs: a wrong value is
// a usage error in French (exit 64) and never reaches the database (`status --millesime abc`
// printed PostgreSQL's error; `report 0x10` read run 16). Each parser returns the text unchanged,
// so the commands keep converting it where they did.
import { InvalidArgumentError } from 'commander';
import { uaiProblem } from '../../formats/uai';
import { isStepId, STEP_IDS } from '../../workflows/steps';

/** A SIECLE millésime: four digits, within the years the applications have existed. */
export function millesimeValue(value: string): string {
  if (!/^\d{4}$/.test(value) || Number(value) < 1990 || Number(value) > 2100) throw new InvalidArgumentError(`millésime « ${value} » : quatre chiffres attendus (2025 = année 2025-2026).`);
  return value;
}

/** A run number as printed by status and report: decimal digits only (no 0x10, 1e3, +7). */
export function runIdValue(value: string): string {
  if (!/^[1-9]\d{0,14}$/.test(value)) throw new InvalidArgumentError(`numéro d'exécution « ${value} » : un entier positif attendu (ex. 42).`);
  return value;
}

/** A date AAAA-MM-JJ that exists in the calendar. */
export function dateValue(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !date || date.toISOString().slice(0, 10) !== value) throw new InvalidArgumentError(`date « ${value} » : AAAA-MM-JJ attendue (ex. 2025-09-15).`);
  return value;
}

/** A period (trimestre, semestre) of a school year: 1 to 6. */
export function periodValue(value: string): string {
  if (!/^[1-6]$/.test(value)) throw new InvalidArgumentError(`période « ${value} » : un entier de 1 à 6 attendu.`);
  return value;
}

export function uaiValue(value: string): string {
  const problem = uaiProblem(value.toUpperCase());
  if (problem) throw new InvalidArgumentError(`UAI « ${value} » : ${problem}`);
  return value;
}

export function stepValue(value: string): string {
  if (!isStepId(value)) throw new InvalidArgumentError(`étape « ${value} » inconnue (${STEP_IDS.join(', ')}).`);
  return value;
}

/** A positive integer (a count, a port), decimal digits only. */
export function positiveIntegerValue(value: string): string {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw new InvalidArgumentError(`« ${value} » : un entier positif attendu.`);
  return value;
}

/**
 * Commander's own messages, said in French (they are the only English a user could meet):
 * "error: option '--x <v>' argument 'abc' is invalid. <our reason>" and the like.
 */
export function frenchCommanderMessage(text: string): string {
  return text
    .replace(/^error: option '([^']+)' argument '([^']*)' is invalid\. /m, 'erreur : option $1, valeur invalide — ')
    .replace(/^error: command-argument value '([^']*)' is invalid for argument '([^']+)'\. /m, 'erreur : argument $2, valeur invalide — ')
    .replace(/^error: unknown option '([^']+)'(?:\n\(Did you mean ([^)]+)\?\))?/m, (_m, o: string, d?: string) => `erreur : option inconnue ${o}${d ? ` (vouliez-vous dire ${d} ?)` : ''}`)
    .replace(/^error: unknown command '([^']+)'/m, 'erreur : commande inconnue $1')
    .replace(/^error: missing required argument '([^']+)'/m, 'erreur : argument obligatoire manquant : $1')
    .replace(/^error: required option '([^']+)' not specified/m, 'erreur : option obligatoire manquante : $1')
    .replace(/^error: option '([^']+)' argument missing/m, "erreur : l'option $1 attend une valeur")
    .replace(/^error: too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)\./m, (_m, c: string | undefined, e: string, g: string) => `erreur : trop d'arguments${c ? ` pour ${c}` : ''} (${e} attendu(s), ${g} reçu(s)).`)
    .replace(/^\(add --help for additional information\)/m, '(--help pour plus de détails)');
}
