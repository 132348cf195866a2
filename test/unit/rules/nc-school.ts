// A small Nouvelle-Calédonie school shaped after seed 004 (Collège de Wani, 9830418M, school year
// 19/02/2018 → 14/12/2018 = SIECLE 2017). Names are invented.
import type { EleGroupeFile, EleGroupePupil, SiecleCommuns, SiecleEleves, SieclePupil, SiecleStructures } from '../../../formats/types.js';

export const UAI = '9830418M';
export const MEF_4E = '10310019110';
export const MEF_3E = '10410019110';

export function pupil(eleveId: string, over: Partial<SieclePupil> = {}): SieclePupil {
  return {
    eleveId, lastName: `NOM${eleveId}`, firstName: `Prenom${eleveId}`, birthDate: '2004-05-06',
    mef: MEF_4E, divisions: ['4EME B'], groups: [], entryDate: '2016-02-15', ...over,
  };
}

export const eleves = (pupils: SieclePupil[]): SiecleEleves => ({ header: { kind: 'siecle-eleves', uai: UAI, millesime: 2017 }, pupils });

export const structures: SiecleStructures = {
  header: { kind: 'siecle-structures', uai: UAI, millesime: 2017 },
  divisions: [{ code: '4EME B', mefs: [MEF_4E] }, { code: '3EME A', mefs: [MEF_3E] }],
  groups: [
    { code: '4EME LV2 AJE', divisions: ['4EME B'], mefs: [] },
    { code: '3LATIN', divisions: ['3EME A'], mefs: [MEF_3E] },
    { code: 'AP', divisions: [], mefs: [] },
  ],
};

export const communs: SiecleCommuns = {
  header: { kind: 'siecle-communs', uai: UAI, millesime: 2017 },
  school: {},
  schoolYear: { start: '2018-02-19', end: '2018-12-14' },
  periods: [],
  closures: [],
};

export function entry(id: string, groups: EleGroupePupil['groups'], over: Partial<EleGroupePupil> = {}): EleGroupePupil {
  return { id: { kind: 'ELEVE_ID', value: id }, lastName: `NOM${id}`, firstName: `Prenom${id}`, birthDate: '2004-05-06', groups, ...over };
}

export function eleGroupeFile(pupils: EleGroupePupil[], millesime = 2017): EleGroupeFile {
  return { header: { kind: 'elegroupe', uai: UAI, millesime }, version: '1.4', importDate: '2018-07-24', pupils };
}
