// What the generators write for STS-Web (sts_emp) and EDT (emp_sts) is exactly what the DTDs
// describe: xmllint --dtdvalid (libxml2) and formats/dtd.ts both accept it, and it reads back.
import { describe, expect, it } from 'vitest';
import { readStsChecked, STS_DTD } from '../../../checks/sts-dtd.js';
import { dtdPath, loadDtd, validateAgainstDtd } from '../../../formats/dtd.js';
import { parseXmlTree } from '../../../formats/xml.js';
import { generateSchool, writeEmpSts, writeStsEmp } from '../../../generators/index.js';
import { xmllintDtd } from '../../support/xmllint-dtd.js';

const schools = [
  { name: 'collège métropolitain', seed: 7, kind: 'college' as const, uai: '0750680G', millesime: 2019 },
  { name: 'lycée métropolitain', seed: 8, kind: 'lycee' as const, uai: '0382032C', millesime: 2019 },
  { name: 'collège de Nouvelle-Calédonie', seed: 9, kind: 'college' as const, uai: '9830418M', millesime: 2018 },
];

describe('generators write sts_emp and emp_sts as DTD_STS_EDT.dtd and DTD_EDT_STS.dtd describe them', () => {
  for (const s of schools) {
    const { model } = generateSchool({ seed: s.seed, kind: s.kind, millesime: s.millesime, uai: s.uai, pupils: 60 });
    const files = [
      { what: 'sts_emp', kind: 'sts-edt' as const, file: writeStsEmp(model) },
      { what: 'emp_sts', kind: 'edt-sts' as const, file: writeEmpSts(model) },
      { what: 'emp_sts without ANNEE_SCOLAIRE', kind: 'edt-sts' as const, file: writeEmpSts(model, { withYear: false }) },
    ];
    for (const f of files) {
      it(`${s.name}: ${f.what} is valid for xmllint and for formats/dtd.ts, and reads back`, async () => {
        const { dtd, root } = STS_DTD[f.kind];
        const libxml2 = await xmllintDtd(dtdPath(dtd), f.file.data);
        expect(libxml2.errors).toEqual([]);
        expect(libxml2.valid).toBe(true);
        const ours = validateAgainstDtd(parseXmlTree(f.file.name, f.file.data), loadDtd(dtd), { root });
        expect(ours.violations).toEqual([]);
        const read = await readStsChecked(f.file.name, f.file.data, f.kind);
        expect(read.anomalies).toEqual([]);
        expect(read.data?.header).toMatchObject({ uai: s.uai, millesime: f.kind === 'sts-edt' ? model.stamps.sts.millesime : model.stamps.edt.millesime });
      });
    }
  }

  it('Nouvelle-Calédonie: both files carry STS-Web\'s millésime, SIECLE\'s + 1', () => {
    const { model } = generateSchool({ seed: 9, kind: 'college', millesime: 2018, uai: '9830418M', pupils: 30 });
    expect(writeStsEmp(model).name).toBe('sts_emp_9830418M_2019.xml');
    expect(writeEmpSts(model).name).toBe('emp_sts_9830418M_2019.xml');
  });
});
