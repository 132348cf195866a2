import { describe, expect, it } from 'vitest';
import {
  checkGradedGroups, checkLsuTeachers, checkServicesInSiecle, checkStructuresInSiecle, checkYearsAndUais, gradedGroupsOf,
} from '../../../rules/correspondences.js';
import type { FileHeader, SiecleStructures, StsStructureFile } from '../../../formats/types.js';

function stsFile(kind: 'sts-edt', groups: { code: string; subjects: string[] }[]): StsStructureFile {
  return {
    header: { kind, uai: '9830418M', millesime: 2018 }, school: { uai: '9830418M' }, year: { millesime: 2018 }, subjects: [],
    teachers: [{ id: '4189', type: 'epp', lastName: 'A', firstName: 'B', mainTeacherOf: [] }],
    divisions: [{ code: '4EME B', mefs: [], services: [{ subjectCode: '030201', teachers: [] }] }],
    groups: groups.map((g) => ({ code: g.code, divisions: ['4EME B'], mefs: [], services: g.subjects.map((s) => ({ subjectCode: s, teachers: [] })) })),
  };
}

describe('correspondences between STS-Web, EDT/PRONOTE, SIECLE and LSU', () => {
  const sts = stsFile('sts-edt', [{ code: '4LV2AJE', subjects: ['031400'] }, { code: 'AP', subjects: [] }]);

  it('asks for an STS group with a service of every subject PRONOTE grades in a group', () => {
    // emp_sts's groups (formats/emp-sts.ts): code and services are all gradedGroupsOf reads.
    const edt = stsFile('sts-edt', [{ code: '4LV2AJE', subjects: ['031400', '030201'] }, { code: 'MPERMANGR2', subjects: ['020100'] }, { code: 'AP', subjects: [] }]);
    expect(checkGradedGroups(gradedGroupsOf(edt), sts).map((a) => [a.code, a.subject?.groupCode])).toEqual([
      ['STS_SERVICE_ABSENT', '4LV2AJE'],
      ['STS_GROUPE_ABSENT', 'MPERMANGR2'],
    ]);
  });

  it('lists STS structures and services SIECLE does not know (synchro 4a / 4b)', () => {
    const siecle: SiecleStructures = { header: { kind: 'siecle-structures', uai: '9830418M', millesime: 2017 }, divisions: [{ code: '4EME B', mefs: [] }], groups: [{ code: 'AP', divisions: [], mefs: [] }] };
    expect(checkStructuresInSiecle(sts, siecle).map((a) => [a.code, a.message])).toEqual([['SYNCHRO_4A', 'Le groupe « 4LV2AJE » de STS-Web est inconnu(e) de SIECLE.']]);
    expect(checkServicesInSiecle(sts, [{ structure: '4EME B', subject: '030201' }]).map((a) => a.subject?.groupCode)).toEqual(['4LV2AJE']);
  });

  it('finds LSU teachers without an STS id or with an id STS-Web does not know', () => {
    const teachers = new Map([
      ['E1', { ref: 'E1', idSts: '4189', type: 'epp', lastName: 'A' }],
      ['E2', { ref: 'E2', type: 'local', lastName: 'B' }],
      ['E3', { ref: 'E3', idSts: '77', type: 'epp', lastName: 'C' }],
    ]);
    expect(checkLsuTeachers({ teachers }, sts).map((a) => a.subject?.teacherId)).toEqual(['E2', '77']);
  });

  it('accepts SIECLE 2017 beside STS-Web 2018 in Nouvelle-Calédonie, not SIECLE 2018', () => {
    const h = (kind: FileHeader['kind'], millesime: number, uai = '9830418M'): { file: string; header: FileHeader } => ({ file: `${kind}.xml`, header: { kind, uai, millesime } });
    expect(checkYearsAndUais([h('sts-edt', 2018), h('siecle-eleves', 2017), h('elegroupe', 2017), h('lsu-bilans', 2017)])).toEqual([]);
    const wrong = checkYearsAndUais([h('sts-edt', 2018), h('siecle-eleves', 2017), h('elegroupe', 2018), h('siecle-communs', 2017, '9830419X')], { uai: '9830418M' });
    expect(wrong.map((a) => [a.code, a.subject?.file])).toEqual([['UAI_DIFFERENT', 'siecle-communs.xml'], ['MILLESIME_DIFFERENT', 'elegroupe.xml']]);
    expect(wrong[1]?.message).toBe("Le fichier porte le millésime 2018 (pronote) : pour l'année scolaire des autres fichiers, pronote écrit 2017.");
  });

  it('uses the same millésime everywhere in metropolitan France', () => {
    const h = (kind: FileHeader['kind'], millesime: number): { file: string; header: FileHeader } => ({ file: kind, header: { kind, uai: '0750680G', millesime } });
    expect(checkYearsAndUais([h('sts-edt', 2018), h('siecle-eleves', 2018), h('elegroupe', 2017)]).map((a) => a.subject?.file)).toEqual(['elegroupe']);
  });
});
