// Our search attributes, registered on the embedded dev server and expected on a production
// namespace (`temporal operator search-attribute create`). Safe to import from workflow code.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const UAI = defineSearchAttributeKey('SynchroUai', SearchAttributeType.KEYWORD);
export const MILLESIME = defineSearchAttributeKey('SynchroMillesime', SearchAttributeType.INT);
export const STEP = defineSearchAttributeKey('SynchroStep', SearchAttributeType.KEYWORD);
export const STEP_STATUS = defineSearchAttributeKey('SynchroStatus', SearchAttributeType.KEYWORD);
export const ACADEMIE = defineSearchAttributeKey('SynchroAcademie', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [UAI, MILLESIME, STEP, STEP_STATUS, ACADEMIE];
