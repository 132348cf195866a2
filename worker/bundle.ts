// The workflow bundle: built once per process (webpack takes seconds), or read from the file that
// `npm run build` writes, as Temporal's production sample does.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WORKFLOWS_PATH = path.join(root, 'workflows', 'index.ts');
export const PREBUILT_BUNDLE_PATH = path.join(root, 'dist', 'workflow-bundle.js');

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

export function buildWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

/** The bundle for this process: prebuilt when SYNCHRO_PREBUILT_BUNDLE=1 and present, else built once. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  cached ??= loadBundle();
  return cached;
}

async function loadBundle(): Promise<WorkflowBundleWithSourceMap> {
  if (process.env.SYNCHRO_PREBUILT_BUNDLE === '1' && existsSync(PREBUILT_BUNDLE_PATH)) {
    const [code, sourceMap] = await Promise.all([
      readFile(PREBUILT_BUNDLE_PATH, 'utf8'),
      readFile(`${PREBUILT_BUNDLE_PATH}.map`, 'utf8').catch(() => ''),
    ]);
    return { code, sourceMap };
  }
  return buildWorkflowBundle();
}

// webpack's progress lines are noise for operators; keep warnings and errors.
const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
  log: () => undefined,
};
