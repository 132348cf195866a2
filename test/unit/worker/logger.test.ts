// Temporal's log entries on their way to pino: the long workflow tasks a school year's local
// activities make are expected (debug), every other warning stays a warning.
import { describe, expect, it } from 'vitest';
import { pinoLevelOf } from '../../../worker/logger';

const LONG_TASK = '[TMPRL1104] 01a24d7c:4:1 Workflow task duration exceeded 5 seconds.';

describe('pinoLevelOf', () => {
  it('puts a school year’s long workflow task at debug level', () => {
    expect(pinoLevelOf({ level: 'WARN', message: LONG_TASK, meta: { workflowType: 'schoolYear' } })).toBe('debug');
  });

  it('keeps it a warning for any other workflow, and keeps every other warning', () => {
    expect(pinoLevelOf({ level: 'WARN', message: LONG_TASK, meta: { workflowType: 'stepRun' } })).toBe('warn');
    expect(pinoLevelOf({ level: 'WARN', message: LONG_TASK })).toBe('warn');
    expect(pinoLevelOf({ level: 'WARN', message: 'Activity failed', meta: { workflowType: 'schoolYear' } })).toBe('warn');
    expect(pinoLevelOf({ level: 'ERROR', message: LONG_TASK, meta: { workflowType: 'schoolYear' } })).toBe('error');
  });
});
