// UAI (ex-RNE): 7 digits and a check letter. The letter is the 7-digit number modulo 23, read in
// an alphabet without I, O and Q (verified on every real UAI in shared/formats and the seeds).
const CHECK_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

const UAI_SHAPE = /^\d{7}[A-Z]$/;

export function uaiCheckLetter(digits: string): string {
  if (!/^\d{7}$/.test(digits)) throw new Error(`Un UAI commence par 7 chiffres : « ${digits} ».`);
  return CHECK_LETTERS.charAt(Number(digits) % 23);
}

/** Returns the problem with a UAI in French, or undefined when it is well-formed with the right letter. */
export function uaiProblem(uai: string): string | undefined {
  if (!UAI_SHAPE.test(uai)) return `UAI mal formé « ${uai} » : 7 chiffres suivis d'une lettre attendus.`;
  const expected = uaiCheckLetter(uai.slice(0, 7));
  if (uai.charAt(7) !== expected) return `UAI « ${uai} » : la lettre clé devrait être ${expected}.`;
  return undefined;
}

export function isValidUai(uai: string): boolean {
  return uaiProblem(uai) === undefined;
}

/** Département part of a UAI: 075, 983 (Nouvelle-Calédonie), 986 (Wallis-et-Futuna), 620 (Corse-du-Sud)… */
export function uaiDepartment(uai: string): string {
  return uai.slice(0, 3);
}
