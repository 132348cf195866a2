// What SIECLE checks when an élève-groupe zip is deposited (before the nightly processing): the
// four refusals with their verbatim messages, plus what SIECLE would only find out later or
// silently (a file of another school, a content year that disagrees with the name, a millésime
// that targets no base open on that date). Pure: names, parsed header and the schema validation
// result are inputs; the business date too.
import type { EleGroupeFile, IsoDate } from '../formats/types.js';
import { parseEleGroupeFileName } from '../formats/elegroupe.js';
import { uaiProblem } from '../formats/uai.js';
import type { Anomaly } from './anomaly.js';
import { siecleBasesOn, type CalendarOptions } from './calendar.js';
import { DEPOSIT_MESSAGES, EXPLANATIONS, type DepositCode } from './messages.js';

/** CODE_GROUPE length of the 2016 schema; real 2018 reports show longer codes processed. */
export const SCHEMA_GROUP_CODE_LENGTH = 8;

export interface SchemaValidation {
  valid: boolean;
  errors: { message: string; line?: number }[];
}

export interface EleGroupeDepositInput {
  /** Name of the deposited zip (or of the xml when deposited bare: SIECLE only takes zips). */
  zipName: string;
  /** Name of the xml inside the zip, when the zip could be opened. */
  xmlName?: string;
  /** Result of the XSD validation of the xml (schema_Import_EleGroupes_1.4). */
  schema?: SchemaValidation;
  /** The parsed file, when it could be read: its PARAMETRES and group codes are checked. */
  file?: EleGroupeFile;
  /** UAI of the school depositing (the SIECLE connection). */
  schoolUai?: string;
  /** Business date of the deposit. */
  on: IsoDate;
  /** Millésime of the SIECLE base the user works in, when known; else any base open on `on`. */
  baseInUse?: number;
  /** False when the school has never made an XML pupils export (SIECLE then refuses the import). */
  pupilsExportDone?: boolean;
  calendar?: CalendarOptions;
}

export interface EleGroupeDepositResult {
  accepted: boolean;
  uai?: string;
  millesime?: number;
  anomalies: Anomaly[];
}

function refusal(code: DepositCode, file: string, extra: Partial<Anomaly> = {}): Anomaly {
  return { code, level: 'blocking', message: DEPOSIT_MESSAGES[code], subject: { file }, ...EXPLANATIONS[code], ...extra };
}

function baseName(name: string): string {
  return name.replace(/^.*[\\/]/, '').replace(/\.(zip|xml)$/i, '');
}

/** Schema errors that only concern a CODE_GROUPE longer than 8: real SIECLE processes them. */
function isLongGroupCodeError(message: string): boolean {
  return /CODE_GROUPE/.test(message) && /(length|longueur|maxLength|facet)/i.test(message);
}

export function checkEleGroupeDeposit(input: EleGroupeDepositInput): EleGroupeDepositResult {
  const anomalies: Anomaly[] = [];
  const file = input.zipName;
  const isZipName = /\.zip$/i.test(file);
  const parsedName = parseEleGroupeFileName(file);

  if (!parsedName || !isZipName) anomalies.push(refusal('DEPOT_NOM', file));
  if (input.xmlName !== undefined && isZipName && baseName(input.xmlName) !== baseName(file)) {
    anomalies.push(refusal('DEPOT_NOM_ZIP', file));
  }
  const uai = parsedName?.uai ?? input.file?.header.uai;
  const millesime = parsedName?.millesime ?? input.file?.header.millesime;

  if (millesime !== undefined && uai !== undefined) {
    const accepted = input.baseInUse !== undefined ? [input.baseInUse] : siecleBasesOn(uai, input.on, input.calendar).accepted;
    if (!accepted.includes(millesime)) {
      const expected = accepted.join(' ou ');
      anomalies.push(refusal('DEPOT_ANNEE', file, { cause: `Le fichier porte le millésime ${millesime} ; la base SIECLE utilisée à cette date est ${expected}. ${EXPLANATIONS.DEPOT_ANNEE?.cause ?? ''}`.trim() }));
    } else if (input.baseInUse === undefined && accepted.length > 1 && millesime === accepted[1]) {
      anomalies.push({
        code: 'DEPOT_BASE_SUIVANTE',
        level: 'info',
        message: `Le fichier vise la base ${millesime} (préparation de la rentrée), ouverte en même temps que la base ${accepted[0]}.`,
        subject: { file },
      });
    }
  }

  if (input.schema && !input.schema.valid) {
    const blocking = input.schema.errors.filter((e) => !isLongGroupCodeError(e.message));
    if (blocking.length > 0 || input.schema.errors.length === 0) {
      const first = blocking[0];
      anomalies.push(refusal('DEPOT_XSD', file, first ? { cause: first.message, subject: { file, ...(first.line !== undefined && { line: first.line }) } } : {}));
    }
  }

  if (uai !== undefined) {
    const problem = uaiProblem(uai);
    if (problem) anomalies.push({ code: 'DEPOT_UAI_INVALIDE', level: 'blocking', message: problem, subject: { file } });
    if (input.schoolUai !== undefined && uai !== input.schoolUai) {
      anomalies.push({
        code: 'DEPOT_UAI',
        level: 'blocking',
        message: `Le fichier concerne l'établissement ${uai}, pas ${input.schoolUai}.`,
        cause: "Fichier d'un autre établissement (ou export PRONOTE d'une autre base).",
        correction: "Déposer le fichier exporté par le PRONOTE de l'établissement.",
        subject: { file },
      });
    }
  }

  const header = input.file?.header;
  if (header && parsedName) {
    if (header.millesime !== parsedName.millesime) {
      anomalies.push({
        code: 'DEPOT_ANNEE_CONTENU',
        level: 'blocking',
        message: `ANNEE_SCOLAIRE du fichier (${header.millesime}) différente de l'année de son nom (${parsedName.millesime}).`,
        correction: 'Exporter de nouveau le fichier depuis PRONOTE sans le modifier.',
        subject: { file },
      });
    }
    if (header.uai !== parsedName.uai) {
      anomalies.push({ code: 'DEPOT_UAI_CONTENU', level: 'blocking', message: `UAJ du fichier (${header.uai}) différent de l'UAI de son nom (${parsedName.uai}).`, subject: { file } });
    }
  }

  if (input.pupilsExportDone === false) {
    anomalies.push({
      code: 'DEPOT_EXPORT_ELEVES',
      level: 'blocking',
      message: "Import refusé : aucun export XML des élèves n'a encore été fait depuis SIECLE pour cet établissement.",
      correction: 'Dans SIECLE : Exportations > En XML > Élèves avec ou sans adresse, puis redéposer le fichier.',
      subject: { file },
    });
  }

  anomalies.push(...longGroupCodes(input.file, file));
  return { accepted: !anomalies.some((a) => a.level === 'blocking'), ...(uai !== undefined && { uai }), ...(millesime !== undefined && { millesime }), anomalies };
}

/** One information per distinct CODE_GROUPE longer than the schema's 8 characters. */
function longGroupCodes(parsed: EleGroupeFile | undefined, file: string): Anomaly[] {
  if (!parsed) return [];
  const seen = new Set<string>();
  for (const pupil of parsed.pupils) for (const g of pupil.groups) if (g.code.length > SCHEMA_GROUP_CODE_LENGTH) seen.add(g.code);
  return [...seen].map((code) => ({
    code: 'CODE_GROUPE_LONG',
    level: 'info' as const,
    message: `Le code de groupe "${code}" dépasse ${SCHEMA_GROUP_CODE_LENGTH} caractères (schéma 1.4) ; SIECLE le traite néanmoins.`,
    subject: { file, groupCode: code },
  }));
}
