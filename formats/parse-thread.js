// Entry of a parse thread (formats/parse-pool.ts). The sources are TypeScript run through tsx:
// a worker thread does not inherit the loader of the thread that started it, so it registers its own.
import { register } from 'tsx/esm/api';

register();
const tasks = await import('./parse-tasks.ts');

export default tasks.default;
