import { openXml } from '../../../formats/archive.js';
import { describe, expect, it } from 'vitest';
import { detectKind, readExchangeFile } from '../../../formats/detect.js';
import { ExchangeFileError } from '../../../formats/errors.js';
import { readBeeHeader, type SiecleKind } from '../../../formats/siecle-exports.js';
import { generateSchool, writeSiecleExports } from '../../../generators/index.js';
import { readSharedFormat } from '../../support/shared-formats.js';

// readBeeHeader reads a SIECLE export no further than PARAMETRES (SIECLE → PRONOTE checks only the
// stamp): it must give the header the whole read gives, on real and generated exports.
describe('readBeeHeader', () => {
  const real: [string, string][] = [
    ['siecle-bee-exports', 'ExportXML_Nomenclature arago 2019-20 au 8juil19.zip'],
    ['siecle-bee-exports', 'Nomenclature-2018-19.xml'],
  ];
  it.each(real)('%s/%s: the header of the whole read', async (folder, name) => {
    const bytes = readSharedFormat(folder, name);
    const whole = await readExchangeFile(name, bytes);
    expect(readBeeHeader(name, (await openXml(name, bytes)).data, (await detectKind(name, bytes)) as SiecleKind)).toEqual(whole.data.header);
  });

  const { model } = generateSchool({ seed: 3, kind: 'lycee', millesime: 2025, pupils: 300 });
  it.each(writeSiecleExports(model).map((z) => [z.name, z.data] as const))('generated %s: the header of the whole read', async (name, data) => {
    const kind = (await detectKind(name, data)) as SiecleKind;
    expect(readBeeHeader(name, (await openXml(name, data)).data, kind)).toEqual((await readExchangeFile(name, data)).data.header);
  });

  it('stops after PARAMETRES: what follows is not parsed', async () => {
    const head = '<?xml version="1.0" encoding="ISO-8859-15"?>\n<BEE_ELEVES VERSION="3.0"><PARAMETRES><UAJ>0750680G</UAJ><ANNEE_SCOLAIRE>2025</ANNEE_SCOLAIRE></PARAMETRES>\n';
    const truncated = Buffer.from(`${head}<DONNEES><ELEVES><ELEVE ELEVE_ID="1"><NOM_DE_FAM`);
    expect(readBeeHeader('ElevesSansAdresses.xml', truncated, 'siecle-eleves')).toMatchObject({ kind: 'siecle-eleves', uai: '0750680G', millesime: 2025 });
    // The whole read refuses the same bytes: the header read is no validation of the body.
    await expect(readExchangeFile('ElevesSansAdresses.xml', truncated)).rejects.toThrow(ExchangeFileError);
  });

  it('a PARAMETRES block longer than the head read first is read whole', () => {
    const padding = ' '.repeat(40 * 1024);
    const xml = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><BEE_STRUCTURES VERSION="3.0"><PARAMETRES><UAJ>0750680G</UAJ>${padding}<ANNEE_SCOLAIRE>2025</ANNEE_SCOLAIRE></PARAMETRES><DONNEES/></BEE_STRUCTURES>`);
    expect(readBeeHeader('Structures.xml', xml, 'siecle-structures')).toMatchObject({ uai: '0750680G', millesime: 2025, version: '3.0' });
  });

  it('refuses another root, a DOCTYPE, a file cut inside PARAMETRES', () => {
    const nomenclature = readSharedFormat('siecle-bee-exports', 'Nomenclature-2019-20.xml');
    expect(() => readBeeHeader('n.xml', nomenclature, 'siecle-eleves')).toThrow(/BEE_ELEVES/);
    const doctype = Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><BEE_ELEVES><PARAMETRES><UAJ>&a;</UAJ></PARAMETRES></BEE_ELEVES>');
    expect(() => readBeeHeader('e.xml', doctype, 'siecle-eleves')).toThrow(/DOCTYPE/);
    const cut = Buffer.from('<?xml version="1.0"?><BEE_ELEVES><PARAMETRES><UAJ>0750680G</UA');
    expect(() => readBeeHeader('e.xml', cut, 'siecle-eleves')).toThrow(/tronqué/);
  });
});
