// Our search attributes, registered on the embedded dev server and expected on a production
// namespace (`temporal operator search-attribute create`). Safe to import from workflow code.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

export const UAI = defineSearchAttributeKey('SynchroUai', SearchAttributeType.KEYWORD);
export const MILLESIME = defineSearchAttributeKey('SynchroMillesime', SearchAttributeType.INT);
export const STEP = defineSearchAttributeKey('SynchroStep', SearchAttributeType.KEYWORD);
export const STEP_STATUS = defineSearchAttributeKey('SynchroStatus', SearchAttributeType.KEYWORD);
export const ACADEMIE = defineSearchAttributeKey('SynchroAcademie', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [UAI, MILLESIME, STEP, STEP_STATUS, ACADEMIE];

/**
 * A step run's attributes, given when its workflow is started (one visibility write, no upsert
 * event of its own): the step workflow upserts them itself only when started without them (a run
 * recorded before, or one started by hand).
 */
export function stepRunAttributes(input: { uai: string; millesime: number; step: string }): SearchAttributePair[] {
  return [
    { key: UAI, value: input.uai },
    { key: MILLESIME, value: input.millesime },
    { key: STEP, value: input.step },
    { key: STEP_STATUS, value: 'running' },
  ];
}

/** A school's year (or term): its UAI, millésime and académie. */
export function schoolAttributes(input: { uai: string; millesime: number; academie?: string }): SearchAttributePair[] {
  return [
    { key: UAI, value: input.uai },
    { key: MILLESIME, value: input.millesime },
    ...(input.academie ? [{ key: ACADEMIE, value: input.academie }] : []),
  ];
}
