// What LSU already holds for a school, as far as the import and the synchronisation base élèves
// care: class settings, existing bilans (locked, visés, typed in LSU), repeaters, and LSU's copy
// of the administrative data. LSU has no export of it: the state is written by hand or by our own
// sandbox, as a small JSON file (`lsu-state.json` in the --reference folder). Every field is
// optional: an empty state is a school whose LSU holds nothing yet.
import { z } from 'zod';

export const LSU_CLASS_MODES = ['Import Éditeurs', 'Import Sconet Notes', 'Saisie directe'] as const;
export type LsuClassMode = (typeof LSU_CLASS_MODES)[number];

/** Where a piece of a bilan comes from in LSU. */
const Origin = z.enum(['absent', 'imported', 'typed']);

const BilanState = z.object({
  /** SIECLE ELEVE_ID (= LSU id-be). */
  eleveId: z.string(),
  kind: z.enum(['periodic', 'cycle']),
  /** Periodic: the period as LSU knows it. */
  period: z.object({ millesime: z.number().int(), index: z.number().int(), count: z.number().int() }).optional(),
  /** End of cycle: 3 or 4. */
  cycle: z.number().int().optional(),
  millesime: z.number().int().optional(),
  /** Imported bilans are locked; a locked bilan is never touched by the synchronisation. */
  locked: z.boolean().default(false),
  /** Visé by a parent on the online service: cannot be re-imported (exception: repeaters' cycle bilan). */
  visa: z.boolean().default(false),
  /** How the bilan came to be: imported from a file, or typed directly in LSU. */
  source: z.enum(['import', 'saisie']).default('import'),
  generalAppraisal: Origin.default('absent'),
  vieScolaire: Origin.default('absent'),
  /** Saisie directe bilans: what the synchronisation may update (discipline code → teacher STS ids). */
  disciplines: z.record(z.string(), z.array(z.string())).optional(),
  mainTeachers: z.array(z.string()).optional(),
});

const ClassState = z.object({
  code: z.string(),
  label: z.string().optional(),
  mode: z.enum(LSU_CLASS_MODES).default('Import Éditeurs'),
  /** The synchronisation base élèves requires the periods of every class. */
  periodsSet: z.boolean().default(true),
});

export const LsuStateSchema = z.object({
  version: z.literal(1).default(1),
  uai: z.string().optional(),
  school: z.record(z.string(), z.string()).optional(),
  classes: z.array(ClassState).default([]),
  pupils: z
    .array(z.object({ eleveId: z.string(), lastName: z.string(), firstNames: z.string(), birthDate: z.string(), sex: z.string().optional(), ine: z.string().optional() }))
    .default([]),
  teachers: z
    .array(z.object({ idSts: z.string(), civility: z.string().optional(), lastName: z.string(), firstName: z.string().optional(), numen: z.string().optional() }))
    .default([]),
  bilans: z.array(BilanState).default([]),
  /** ELEVE_IDs of pupils repeating the last year of their cycle. */
  repeaters: z.array(z.string()).default([]),
});

export type LsuState = z.infer<typeof LsuStateSchema>;
export type LsuBilanState = LsuState['bilans'][number];
export type LsuClassState = LsuState['classes'][number];

export const EMPTY_LSU_STATE: LsuState = LsuStateSchema.parse({});

/** Parses lsu-state.json; throws an Error naming the first problem, in French. */
export function parseLsuState(json: unknown): LsuState {
  const result = LsuStateSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new Error(`lsu-state.json invalide : ${issue ? `${issue.path.join('.')} : ${issue.message}` : 'contenu inattendu'}.`);
}

/** The key of a bilan in LSU: a pupil's periodic bilan of one period, or their end-of-cycle bilan. */
export function periodicKey(eleveId: string, p: { millesime: number; index: number; count: number }): string {
  return `${eleveId}|P|${p.millesime}|${p.index}|${p.count}`;
}

export function cycleKey(eleveId: string, cycle: number): string {
  return `${eleveId}|C|${cycle}`;
}

export function bilanKey(b: LsuBilanState): string | undefined {
  if (b.kind === 'periodic') return b.period ? periodicKey(b.eleveId, b.period) : undefined;
  return b.cycle === undefined ? undefined : cycleKey(b.eleveId, b.cycle);
}
