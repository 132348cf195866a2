// bigLsuFile: an LSU file of a target size (e.g. 100 MB, LSU's own limit) for benchmarks. The
// pupils of a large generated collège are the referentials; bilans are produced lazily and
// streamed by the formats/ writer, so the file never sits in memory.
import { Writable } from 'node:stream';
import type { LsuBilansSource } from '../formats/lsu-bilans.js';
import type { SchoolModel } from './model.js';
import { cycleBilans, lsuOf, periodicBilans, pupilsWithBilan } from './pronote-exports.js';
import { generateSchool } from './school.js';
import { writePronoteLsu } from './write-pronote.js';

export interface BigLsuOptions {
  targetBytes: number;
  seed?: number;
  millesime?: number;
  uai?: string;
}

/** The LSU document of a model with lazy bilans (nothing materialised). */
export function lazyLsuSource(model: SchoolModel): LsuBilansSource {
  const pupils = pupilsWithBilan(model);
  const referentials = lsuOf({ ...model, pupils: [] });
  return {
    ...referentials,
    pupils: pupils.map((p) => ({ ref: `EL${p.eleveId}`, idBe: p.eleveId, lastName: p.lastName, firstName: p.firstName, division: p.division })),
    periodic: periodicBilans(model, pupils, referentials.periods[0]!.ref, model.seed),
    cycle: cycleBilans(model, pupils, model.seed + 1),
  };
}

async function sizeOf(source: LsuBilansSource): Promise<number> {
  let bytes = 0;
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { bytes += chunk.length; done(); } });
  await writePronoteLsu(source, sink);
  return bytes;
}

function school(options: BigLsuOptions, pupils: number): SchoolModel {
  return generateSchool({ seed: options.seed ?? 1, kind: 'college', millesime: options.millesime ?? 2017, pupils, withLsu: false, ...(options.uai && { uai: options.uai }) }).model;
}

/**
 * Writes an LSU file of about `targetBytes` (within a few %): the bytes per pupil are measured on
 * a 600-pupil collège, then a collège of the right size is streamed to `path`.
 */
export async function bigLsuFile(path: string, options: BigLsuOptions): Promise<{ bytes: number; pupils: number }> {
  const sample = 600;
  const perPupil = (await sizeOf(lazyLsuSource(school(options, sample)))) / sample;
  const pupils = Math.max(sample, Math.floor(options.targetBytes / perPupil));
  const model = school(options, pupils);
  const { bytes } = await writePronoteLsu(lazyLsuSource(model), path);
  return { bytes, pupils };
}
