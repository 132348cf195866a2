// Synchro 4a, STS-Web → SIECLE structure: a button in STS-Web (a web service, no file). Run after a
// person confirmed it: the evidence is SIECLE's newest Structures export, which must now hold
// STS-Web's divisions and groups. Missing evidence is a warning, never a failure: the person said
// it was done, and SIECLE's night will tell (GROUPE_A_01) if it was not.
import type { Anomaly } from '../rules/anomaly';
import { checkStructuresInSiecle } from '../rules/correspondences';
import { OFFICIAL_NAMES } from './official-names';
import { readAs, storeFound, type StepHandler } from './context';

const STRUCTURES = /^ExportXML_Structures\.zip$/i;

export function missingEvidence(message: string): Anomaly {
  return {
    code: 'PREUVE_ABSENTE', level: 'warning', message,
    correction: "Déposer l'export demandé dans le dossier de l'application, puis relancer l'étape pour la vérifier.",
  };
}

export const stsSiecleStructure: StepHandler = async (ctx) => {
  const structures = await ctx.inbox.newest('siecle', STRUCTURES);
  const stsFile = await ctx.inbox.newest('sts', OFFICIAL_NAMES.stsEmp);
  if (!structures || !stsFile) {
    const what = !structures ? "aucun export Structures de SIECLE (ExportXML_Structures.zip)" : 'aucun export sts_emp de STS-Web';
    return { kind: 'done', anomalies: [missingEvidence(`Envoi de la structure non vérifié : ${what}.`)] };
  }
  const { ref, bytes } = await storeFound(ctx, structures, 'siecle-structures');
  const siecle = await readAs(structures.name, bytes, ['siecle-structures']);
  const { bytes: stsBytes } = await storeFound(ctx, stsFile, 'sts-edt');
  const sts = await readAs(stsFile.name, stsBytes, ['sts-edt']);
  return { kind: 'done', input: ref, anomalies: checkStructuresInSiecle(sts.data, siecle.data) };
};
