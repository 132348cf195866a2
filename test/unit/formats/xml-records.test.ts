// Records read one at a time (formats/xml.ts RecordHandlers) must be exactly what the whole tree
// held at their path, on real files and on the generated lycée, and the errors a reader reports
// must come in the order a whole-tree read reported them.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readEleGroupe } from '../../../formats/elegroupe.js';
import { ExchangeFileError } from '../../../formats/errors.js';
import { validateEleGroupe } from '../../../formats/schema.js';
import { readSiecleEleves, readSiecleResponsables } from '../../../formats/siecle-exports.js';
import { parseXmlTree, select, type XmlElement } from '../../../formats/xml.js';
import { generateSchool, siecleExportXml } from '../../../generators/index.js';
import { readSharedFormat } from '../../support/shared-formats.js';

/** The tree as a whole-tree read builds it, without the elements at `paths`. */
function withoutPaths(el: XmlElement, paths: string[][], depth = 0): unknown {
  const dropped = (child: XmlElement): boolean => paths.some((p) => p.length === depth + 1 && p[depth] === child.name);
  const below = (child: XmlElement): string[][] => paths.filter((p) => p.length > depth + 1 && p[depth] === child.name);
  return {
    name: el.name, attrs: { ...el.attrs }, text: el.text, line: el.line,
    children: el.children.filter((c) => !dropped(c)).map((c) => withoutPaths(c, below(c).map((p) => p.slice(depth + 1)), 0)),
  };
}

function compare(file: string, bytes: Uint8Array, paths: string[]): number {
  const whole = parseXmlTree(file, bytes);
  const taken = new Map<string, XmlElement[]>(paths.map((p) => [p, []]));
  const streamed = parseXmlTree(file, bytes, { records: Object.fromEntries(paths.map((p) => [p, (el: XmlElement) => taken.get(p)!.push(el)])) });
  let records = 0;
  for (const p of paths) {
    expect(taken.get(p)).toEqual(select(whole, p));
    expect(select(streamed, p)).toEqual([]);
    records += taken.get(p)!.length;
  }
  expect(withoutPaths(streamed, [])).toEqual(withoutPaths(whole, paths.map((p) => p.split('/'))));
  return records;
}

const FIX = ['siecle-bee-exports', 'dossiersco-fixtures'];

describe('records read one at a time are what the whole tree holds', () => {
  it.each([
    [[...FIX, 'eleves_avec_adresse_avec_double_structure.xml'], ['DONNEES/ELEVES/ELEVE', 'DONNEES/STRUCTURES/STRUCTURES_ELEVE']],
    [[...FIX, 'responsables_avec_adresses_simple.xml'], ['DONNEES/PERSONNES/PERSONNE', 'DONNEES/RESPONSABLES/RESPONSABLE_ELEVE']],
    [['siecle-bee-exports', 'Nomenclature-2019-20.xml'], ['DONNEES/MEFS/MEF', 'DONNEES/MATIERES/MATIERE']],
    [['siecle-import-prive', 'tests_import_victorvictor', '0750680GPRIVE2017180115162223.xml'], ['DONNEES/ELEVES/ELEVE']],
  ])('%j', (parts, paths) => {
    expect(compare(parts.at(-1)!, readSharedFormat(...parts), paths)).toBeGreaterThan(0);
  });

  // Two real files are not well formed (a misspelt and a misplaced closing tag): the same refusal.
  it.each([
    [[...FIX, 'eleves_avec_adresse_simple.xml'], 'DONNEES/ELEVES/ELEVE'],
    [['siecle-import-prive', 'exemple_pour_robot_siecle.xml'], 'DONNEES/ELEVES/ELEVE'],
  ])('%j: the same refusal', (parts, path) => {
    const bytes = readSharedFormat(...parts);
    const whole = errorOf(() => parseXmlTree(parts.at(-1)!, bytes));
    expect(whole.code).toBe('malformed');
    expect(errorOf(() => parseXmlTree(parts.at(-1)!, bytes, { records: { [path]: () => undefined } }))).toEqual(whole);
  });

  it("the generated lycée's pupils export (5,000 records under 93,000 elements)", () => {
    const school = generateSchool({ seed: 7, kind: 'lycee', millesime: 2024 });
    const bytes = siecleExportXml(school.model, 'ElevesSansAdresses');
    expect(compare('ElevesSansAdresses.xml', bytes, ['DONNEES/ELEVES/ELEVE', 'DONNEES/STRUCTURES/STRUCTURES_ELEVE'])).toBe(2 * school.model.pupils.length);
    const eleves = readSiecleEleves('ElevesSansAdresses.xml', bytes);
    expect(eleves.pupils).toHaveLength(school.model.pupils.length);
    // Divisions and groups come from STRUCTURES, after ELEVES in the file: filled in for every pupil.
    expect(eleves.pupils.every((p) => p.divisions.length === 1)).toBe(true);
    expect(eleves.pupils.some((p) => p.groups.length > 0)).toBe(true);
  });
});

const latin9 = (xml: string): Buffer => iconv.encode(xml, 'ISO-8859-15');

const eleGroupe = (pupils: string, tail = '</IMPORT_ELEVES>', root = 'IMPORT_ELEVES'): Buffer =>
  latin9(`<?xml version="1.0" encoding="ISO-8859-15"?>
<${root} VERSION="1.4"><PARAMETRES><UAJ>0750680G</UAJ><ANNEE_SCOLAIRE>2024</ANNEE_SCOLAIRE><DATE_IMPORT>02/12/2024</DATE_IMPORT></PARAMETRES>
<DONNEES><ELEVES>${pupils}</ELEVES></DONNEES>
${tail}`);

const NO_ID = '<ELEVE><NOM_DE_FAMILLE>SANS</NOM_DE_FAMILLE><PRENOM>Id</PRENOM></ELEVE>';
const GOOD = '<ELEVE><ELEVE_ID>12</ELEVE_ID><NOM_DE_FAMILLE>MARTIN</NOM_DE_FAMILLE><PRENOM>Léa</PRENOM><DATE_NAISS>2010-01-02</DATE_NAISS></ELEVE>';

function errorOf(read: () => unknown): ExchangeFileError {
  try {
    read();
  } catch (error) {
    if (error instanceof ExchangeFileError) return error;
    throw error;
  }
  throw new Error('lu sans erreur');
}

describe('errors come in the order of a whole-tree read', () => {
  it("a pupil's error is reported, with its line, when the file is otherwise sound", () => {
    const error = errorOf(() => readEleGroupe('f.xml', eleGroupe(GOOD + NO_ID)));
    expect(error.message).toMatch(/élève sans identifiant/);
    expect(error.line).toBe(3);
  });

  it('a truncated file is reported truncated, not for a bad pupil before the cut', () => {
    expect(errorOf(() => readEleGroupe('f.xml', eleGroupe(NO_ID, '')))).toMatchObject({ code: 'truncated' });
  });

  it('a wrong root is reported before a bad pupil', () => {
    expect(errorOf(() => readEleGroupe('f.xml', eleGroupe(NO_ID, '</AUTRE>', 'AUTRE')))).toMatchObject({ code: 'wrong-root' });
  });

  it('a missing UAJ is reported before a bad pupil (the header is checked first)', () => {
    const bytes = latin9(eleGroupe(NO_ID).toString('latin1').replace('<UAJ>0750680G</UAJ>', ''));
    expect(errorOf(() => readEleGroupe('f.xml', bytes)).message).toMatch(/UAJ manquant/);
  });

  it('the pupils of a sound file are all read, in order', () => {
    const file = readEleGroupe('f.xml', eleGroupe(GOOD + GOOD.replace('>12<', '>13<')));
    expect(file.pupils.map((p) => p.id.value)).toEqual(['12', '13']);
  });

  it('a pupil known by its INE only, with its groups and their dates (written by hand from the 1.4 XSD)', async () => {
    const pupil = '<ELEVE><ID_NATIONAL>070803070AJ</ID_NATIONAL><NOM_DE_FAMILLE>DURAND</NOM_DE_FAMILLE><PRENOM>Noé</PRENOM>'
      + '<DATE_NAISS>2009-05-06</DATE_NAISS><GROUPES>'
      + '<GROUPE><CODE_GROUPE>3ESP1</CODE_GROUPE><DATE_DEBUT_GROUPE>2024-09-02</DATE_DEBUT_GROUPE><DATE_FIN_GROUPE>2025-01-31</DATE_FIN_GROUPE></GROUPE>'
      + '<GROUPE><CODE_GROUPE>LAT</CODE_GROUPE></GROUPE>'
      + '</GROUPES></ELEVE>';
    // NUM_ENVOI and LOGICIEL as the XSD requires them (the reader does not): the file validates.
    const bytes = latin9(eleGroupe(pupil).toString('latin1').replace('</DATE_IMPORT>', '</DATE_IMPORT><NUM_ENVOI>1</NUM_ENVOI><LOGICIEL>PRONOTE</LOGICIEL>'));
    expect(await validateEleGroupe('f.xml', bytes)).toEqual({ valid: true, errors: [] });
    const [read] = readEleGroupe('f.xml', bytes).pupils;
    expect(read).toMatchObject({ id: { kind: 'ID_NATIONAL', value: '070803070AJ' }, lastName: 'DURAND', firstName: 'Noé', birthDate: '2009-05-06' });
    expect(read?.groups).toEqual([{ code: '3ESP1', start: '2024-09-02', end: '2025-01-31' }, { code: 'LAT' }]);
  });

  it('responsables are counted without being kept', () => {
    const bytes = readSharedFormat(...FIX, 'responsables_avec_adresses_simple.xml');
    const whole = parseXmlTree('r.xml', bytes);
    expect(readSiecleResponsables('r.xml', bytes)).toMatchObject({
      persons: select(whole, 'DONNEES/PERSONNES/PERSONNE').length,
      links: select(whole, 'DONNEES/RESPONSABLES/RESPONSABLE_ELEVE').length,
    });
  });
});
