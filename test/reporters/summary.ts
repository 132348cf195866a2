// Prints, after vitest's own report, plain lines that a CI log can be read by: the counts per
// project (the database project split by driver, so a run that skipped PostgreSQL shows it) and
// a closing "N passed, N failed, N skipped" line without colour codes.
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const empty = (): Counts => ({ passed: 0, failed: 0, skipped: 0 });

function add(counts: Counts, state: string): void {
  if (state === 'passed') counts.passed += 1;
  else if (state === 'failed') counts.failed += 1;
  else counts.skipped += 1;
}

const line = (c: Counts): string => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const total = empty();
    const brokenFiles: string[] = [];
    const byProject = new Map<string, Counts>();
    const byDriver = new Map<string, Counts>();
    for (const module of testModules) {
      const project = module.project.name || 'default';
      const projectCounts = byProject.get(project) ?? empty();
      byProject.set(project, projectCounts);
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'failed') failedTests += 1;
        add(total, state);
        add(projectCounts, state);
        const driver = /\b(pglite|postgres)\b/i.exec(test.fullName)?.[1]?.toLowerCase();
        if (project === 'db' && driver) {
          const driverCounts = byDriver.get(driver) ?? empty();
          byDriver.set(driver, driverCounts);
          add(driverCounts, state);
        }
      }
      // A file can fail outside any test (beforeAll, an import): its tests then show as skipped,
      // so the file itself counts as one failure.
      if (module.state() === 'failed' && failedTests === 0) {
        brokenFiles.push(module.moduleId);
        add(total, 'failed');
        add(projectCounts, 'failed');
      }
    }
    for (const _error of unhandledErrors) add(total, 'failed');
    console.log('\nSummary by project:');
    for (const [project, counts] of [...byProject].sort()) console.log(`  ${project}: ${line(counts)}`);
    for (const [driver, counts] of [...byDriver].sort()) console.log(`  db on ${driver}: ${line(counts)}`);
    for (const file of brokenFiles) console.log(`  failed outside its tests: ${file}`);
    if (unhandledErrors.length > 0) console.log(`  unhandled errors: ${unhandledErrors.length}`);
    console.log(`tests: ${line(total)}`);
  }
}
