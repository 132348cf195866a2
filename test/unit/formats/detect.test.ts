import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectKind, readExchangeFile } from '../../../formats/detect.js';
import { writeEleGroupe } from '../../../formats/elegroupe.js';
import { readSharedFormat, sharedFormat } from '../../support/shared-formats.js';

const PRIVE = ['siecle-import-prive', 'tests_import_victorvictor'];

describe('detectKind', () => {
  it.each([
    [['siecle-bee-exports', 'Nomenclature-2019-20.xml'], 'siecle-nomenclature'],
    [['siecle-bee-exports', 'ExportXML_Nomenclature arago 2018-19 au 8juil19.zip'], 'siecle-nomenclature'],
    [['siecle-bee-exports', 'dossiersco-fixtures', 'eleves_avec_adresse_avec_double_structure.xml'], 'siecle-eleves'],
    [['siecle-bee-exports', 'dossiersco-fixtures', 'responsables_avec_adresses_simple.xml'], 'siecle-responsables'],
    [['lsu', 'gepi', '2020-02-20_sample-bilan-complet.xml'], 'lsu-bilans'],
    [[...PRIVE, '0750680GPRIVE2017180115162223.xml'], 'siecle-prive'],
    [[...PRIVE, '0750680GPRIVE2017180121195050.zip'], 'siecle-prive'],
  ])('%s → %s', async (parts, kind) => {
    expect(await detectKind(parts[parts.length - 1]!, readSharedFormat(...parts))).toBe(kind);
  });

  it('tells a PRIVE file from an élève-groupe file even when renamed', async () => {
    expect(await detectKind('upload.xml', readSharedFormat(...PRIVE, '0750680GPRIVE2017180123103535.xml'))).toBe('siecle-prive');
  });

  it('refuses unknown roots and non-XML', async () => {
    await expect(detectKind('x.xml', Buffer.from('<?xml version="1.0"?><html/>'))).rejects.toThrow(/racine <html> inconnue/);
    await expect(detectKind('x.csv', Buffer.from('a;b;c'))).rejects.toThrow(/pas un fichier XML/);
    await expect(detectKind('x.xml', Buffer.alloc(0))).rejects.toThrow(/vide/);
  });
});

describe('readExchangeFile', () => {
  it('tests_import_victorvictor/0750680GPRIVE*.xml|.zip: every real deposit header', async () => {
    for (const name of ['0750680GPRIVE2017180115162223', '0750680GPRIVE2017180121195050', '0750680GPRIVE2017180123103535']) {
      for (const ext of ['xml', 'zip']) {
        const file = await readExchangeFile(`${name}.${ext}`, readFileSync(sharedFormat(...PRIVE, `${name}.${ext}`)));
        expect(file.kind).toBe('siecle-prive');
        if (file.kind === 'siecle-prive') expect(file.data.header).toMatchObject({ uai: '0750680G', millesime: 2017 });
      }
    }
  });

  it('dispatches an élève-groupe zip and an LSU sample', async () => {
    const written = writeEleGroupe({
      header: { kind: 'elegroupe', uai: '0750680G', millesime: 2017 }, version: '1.4', importDate: '2018-01-15',
      pupils: [{ id: { kind: 'ID_PRV_ELE', value: '22222' }, lastName: 'HUGO', firstName: 'Victor', birthDate: '2002-01-01', groups: [{ code: '3A_LV2' }] }],
    });
    const eg = await readExchangeFile(written.zipName, written.zip);
    expect(eg.kind === 'elegroupe' && eg.data.pupils[0]?.id).toEqual({ kind: 'ID_PRV_ELE', value: '22222' });
    const lsu = await readExchangeFile('sample.xml', readSharedFormat('lsu', 'gepi', '2016-11-20_sample-bilan-complet.xml'));
    expect(lsu.kind === 'lsu-bilans' && lsu.data.bilans.length).toBe(lsu.kind === 'lsu-bilans' ? lsu.data.counts.periodic + lsu.data.counts.cycle : -1);
  });

  it('reads Latin-9 names from a BEE file', async () => {
    const xml = iconv.encode('<?xml version="1.0" encoding="ISO-8859-15"?><BEE_ELEVES VERSION="3.0"><PARAMETRES><UAJ>0750680G</UAJ><ANNEE_SCOLAIRE>2017</ANNEE_SCOLAIRE></PARAMETRES><DONNEES><ELEVES><ELEVE ELEVE_ID="0012"><NOM_DE_FAMILLE>ŒUVRÉ</NOM_DE_FAMILLE><PRENOM>Zoé</PRENOM><DATE_NAISS>01/02/2004</DATE_NAISS></ELEVE></ELEVES></DONNEES></BEE_ELEVES>', 'ISO-8859-15');
    const f = await readExchangeFile('ElevesSansAdresses.xml', xml);
    expect(f.kind === 'siecle-eleves' && f.data.pupils[0]).toMatchObject({ eleveId: '0012', lastName: 'ŒUVRÉ', firstName: 'Zoé', birthDate: '2004-02-01' });
  });
});
