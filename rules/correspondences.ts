// Cross-file checks of the chain, before anything is deposited: what EDT/PRONOTE grade that STS-Web
// does not know (synchro 1/3), what STS-Web knows that SIECLE does not (synchro 4a/4b not done),
// LSU teachers without an STS id, and files whose years or UAIs disagree once each application's
// own millésime rule is applied (NC: SIECLE 2017 = STS-Web 2018 = February–December 2018).
import type { FileHeader, FileKind, LsuReferentials, SiecleStructures, StsStructureFile } from '../formats/types.js';
import type { Anomaly } from './anomaly.js';
import { schoolYearOfMillesime, type Application, type CalendarOptions } from './calendar.js';

/** A group as the timetable / grades software knows it, with the subjects it grades. */
export interface GradedGroup {
  code: string;
  subjects: string[];
}

/** Groups of an EDT → STS-Web file (emp_sts, formats/emp-sts.ts) with their services: PRONOTE's grading groups. */
export function gradedGroupsOf(edt: { groups: readonly { code: string; services: readonly { subjectCode: string }[] }[] }): GradedGroup[] {
  return edt.groups.filter((g) => g.services.length > 0).map((g) => ({ code: g.code, subjects: g.services.map((s) => s.subjectCode) }));
}

/** Seed 004: "Pour tout groupe où il y a un service de notation associé sur PRONOTE il faut qu'il existe sur STSWEB un groupe avec un service de la discipline en question." */
export function checkGradedGroups(groups: readonly GradedGroup[], sts: StsStructureFile): Anomaly[] {
  const stsGroups = new Map(sts.groups.map((g) => [g.code, new Set(g.services.map((s) => s.subjectCode))]));
  const out: Anomaly[] = [];
  for (const g of groups) {
    const subjects = stsGroups.get(g.code);
    for (const subject of new Set(g.subjects)) {
      if (subjects?.has(subject)) continue;
      out.push({
        code: subjects ? 'STS_SERVICE_ABSENT' : 'STS_GROUPE_ABSENT',
        level: 'warning',
        message: subjects
          ? `Le groupe « ${g.code} » existe dans STS-Web sans service de la matière ${subject} notée dans PRONOTE.`
          : `Le groupe « ${g.code} » (service de notation ${subject}) n'existe pas dans STS-Web.`,
        cause: 'Pour tout groupe où il y a un service de notation associé sur PRONOTE il faut qu\'il existe sur STSWEB un groupe avec un service de la discipline en question.',
        correction: 'Créer le groupe et son service dans STS-Web (ou remonter les services depuis EDT, synchro 3), puis refaire les correspondances dans EDT.',
        subject: { groupCode: g.code },
      });
    }
  }
  return out;
}

/** Structures of STS-Web that SIECLE's Structures export does not know: synchro 4a not done since. */
export function checkStructuresInSiecle(sts: StsStructureFile, siecle: SiecleStructures): Anomaly[] {
  const divisions = new Set(siecle.divisions.map((d) => d.code));
  const groups = new Set(siecle.groups.map((g) => g.code));
  const missing = [
    ...sts.divisions.filter((d) => !divisions.has(d.code)).map((d) => ({ code: d.code, what: 'La division', subject: { division: d.code } })),
    ...sts.groups.filter((g) => !groups.has(g.code)).map((g) => ({ code: g.code, what: 'Le groupe', subject: { groupCode: g.code } })),
  ];
  return missing.map((m) => ({
    code: 'SYNCHRO_4A',
    level: 'warning' as const,
    message: `${m.what} « ${m.code} » de STS-Web est inconnu(e) de SIECLE.`,
    cause: "La structure n'a pas été envoyée de STS-Web vers SIECLE depuis sa création (synchro 4a).",
    correction: 'Dans STS-Web : Exports > Structure, attendre « La structure a été envoyée à SCONET via un service Web », puis vérifier dans SIECLE.',
    subject: m.subject,
  }));
}

/**
 * Services of STS-Web that SIECLE does not know (synchro 4b). No SIECLE export read by the project
 * carries services, so the caller passes what it knows of SIECLE's services (e.g. from LSU's
 * "Disciplines non enseignées"); without it nothing is reported.
 */
export function checkServicesInSiecle(sts: StsStructureFile, siecleServices: readonly { structure: string; subject: string }[]): Anomaly[] {
  const known = new Set(siecleServices.map((s) => `${s.structure}\u0000${s.subject}`));
  const out: Anomaly[] = [];
  for (const s of [...sts.divisions, ...sts.groups]) {
    for (const service of s.services) {
      if (known.has(`${s.code}\u0000${service.subjectCode}`)) continue;
      out.push({
        code: 'SYNCHRO_4B',
        level: 'warning',
        message: `Le service ${service.subjectCode} de « ${s.code} » n'est pas connu de SIECLE.`,
        correction: 'Dans STS-Web : Exports > Services > « Exporter les services à destination de SCONET ? », puis valider.',
        subject: { groupCode: s.code },
      });
    }
  }
  return out;
}

/** LSU enseignants without an STS id, or with one STS-Web does not know. */
export function checkLsuTeachers(refs: Pick<LsuReferentials, 'teachers'>, sts: StsStructureFile): Anomaly[] {
  const ids = new Set(sts.teachers.map((t) => t.id));
  return [...refs.teachers.values()]
    .filter((t) => !t.idSts || !ids.has(t.idSts))
    .map((t) => ({
      code: 'LSU_ENSEIGNANT_SANS_STS',
      level: 'warning' as const,
      label: 'Enseignant inconnu',
      message: t.idSts ? `L'enseignant ${t.ref} (id-sts ${t.idSts}) n'existe pas dans STS-Web.` : `L'enseignant ${t.ref} n'a pas d'identifiant STS.`,
      correction: 'Vérifiez les données dans le logiciel de gestion des notes, Services et Structures (STS.WEB) et SIECLE (export services STS.WEB/SIECLE)',
      subject: { teacherId: t.idSts ?? t.ref },
    }));
}

/**
 * Which application's millésime rule a file follows (rules in calendar-table.ts): emp_sts is EDT's
 * (= STS-Web's year, ASSUMED), PRONOTE's élève-groupe file carries SIECLE's (seed 004).
 */
export const APPLICATION_OF: Record<FileKind, Application> = {
  'sts-edt': 'sts-web', 'edt-sts': 'edt', elegroupe: 'pronote', 'lsu-bilans': 'lsu',
  'siecle-eleves': 'siecle', 'siecle-structures': 'siecle', 'siecle-nomenclature': 'siecle', 'siecle-communs': 'siecle',
  'siecle-responsables': 'siecle', 'siecle-etablissements': 'siecle', 'siecle-geographique': 'siecle',
};

export interface NamedHeader {
  file: string;
  header: FileHeader;
}

/**
 * Files that disagree on the school year (after each application's rule) or on the UAI. The
 * reference is the school's UAI when given, and the school year most files agree on.
 */
export function checkYearsAndUais(files: readonly NamedHeader[], options: CalendarOptions & { uai?: string } = {}): Anomaly[] {
  const out: Anomaly[] = [];
  const uai = options.uai ?? mostCommon(files.map((f) => f.header.uai));
  for (const f of files) {
    if (uai !== undefined && f.header.uai !== uai) {
      out.push({ code: 'UAI_DIFFERENT', level: 'error', message: `Le fichier concerne l'établissement ${f.header.uai}, pas ${uai}.`, subject: { file: f.file } });
    }
  }
  const years = files.map((f) => ({ f, rentree: schoolYearOfMillesime(APPLICATION_OF[f.header.kind], uai ?? f.header.uai, f.header.millesime, options).rentreeYear }));
  const expected = mostCommon(years.map((y) => String(y.rentree)));
  for (const { f, rentree } of years) {
    if (expected === undefined || String(rentree) === expected) continue;
    const app = APPLICATION_OF[f.header.kind];
    const want = f.header.millesime - rentree + Number(expected);
    out.push({
      code: 'MILLESIME_DIFFERENT',
      level: 'error',
      message: `Le fichier porte le millésime ${f.header.millesime} (${app}) : pour l'année scolaire des autres fichiers, ${app} écrit ${want}.`,
      subject: { file: f.file },
    });
  }
  return out;
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
  return best;
}
