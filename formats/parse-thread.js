// Entry of a parse thread (formats/parse-pool.ts). The sources are TypeScript run through tsx:
// a worker thread does not inherit the loader of the thread that started it, so it registers its own.
import { writeFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

// Named, so that `top -H` and the bench (scripts/bench/chain/processes.ts) tell parse threads from
// the others: Linux only (/proc/thread-self is the calling thread), nothing elsewhere.
try {
  writeFileSync('/proc/thread-self/comm', 'synchro-parse');
} catch {
  // Not Linux, or /proc not mounted: the thread keeps its name.
}
register();
const tasks = await import('./parse-tasks.ts');

export default tasks.default;
