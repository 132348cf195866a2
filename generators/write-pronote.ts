// PRONOTE's two exports, serialised by the formats/ writers (one writer per format in the
// project): the élève-groupe zip (PRONOTE → SIECLE) and the LSU bilans (PRONOTE → LSU).
import { PassThrough } from 'node:stream';
import { writeEleGroupe } from '../formats/elegroupe.js';
import { writeLsuBilans } from '../formats/lsu-bilans.js';
import type { LsuBilansSource } from '../formats/lsu-bilans.js';
import type { SchoolModel } from './model.js';

export function writePronoteEleGroupe(model: SchoolModel): { xmlName: string; zipName: string; xml: Buffer; zip: Buffer } {
  return writeEleGroupe(model.eleGroupe, { generatedAt: model.generatedAt });
}

/** PRONOTE's name for the LSU export: `import_lsu_<yyyymmddhhmmss>.xml` (seed 002). */
export function lsuFileName(generatedAt: string): string {
  return `import_lsu_${generatedAt.replace(/[-:T]/g, '').slice(0, 14)}.xml`;
}

/** Writes the LSU document to a path or a stream (the writer streams: any size). */
export async function writePronoteLsu(doc: LsuBilansSource, out: NodeJS.WritableStream | string): Promise<{ bytes: number }> {
  return writeLsuBilans(doc, out);
}

/** The LSU file of a school, in memory (a school's file is a few MB at most). */
export async function lsuBytes(model: SchoolModel): Promise<Buffer> {
  if (!model.lsu) throw new Error("Pas de fichier LSU pour un lycée (LSU concerne l'école et le collège).");
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await writeLsuBilans(model.lsu, sink);
  return Buffer.concat(chunks);
}
