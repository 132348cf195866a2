// Seeded, deterministic generators of coherent schools and of their exchange files (pure: no
// Temporal, no database). Same options ⇒ same bytes.
export { generateSchool, type GenerateSchoolOptions, type GeneratedSchool } from './school.js';
export { FAULT_KINDS, type FaultKind, type FaultFile, type FaultSpec, type InjectedFault } from './faults.js';
export type { SchoolModel, SchoolKind, Division, Group, Teacher, Service, Pupil, GroupMembership, SchoolCalendar } from './model.js';
export { writeStsEmp, writeEmpSts, stsEmpFileName, empStsFileName } from './write-sts.js';
export { writeSiecleExports, writeSiecleExport, siecleExportXml, SIECLE_EXPORTS, type SiecleExportName } from './write-siecle.js';
export { writePronoteEleGroupe, writePronoteLsu, lsuBytes, lsuFileName } from './write-pronote.js';
export { writeSchoolFolder, type WrittenFile, type SchoolFileRole } from './folder.js';
export { bigLsuFile, lazyLsuSource, type BigLsuOptions } from './big-lsu.js';
export { Random } from './random.js';
