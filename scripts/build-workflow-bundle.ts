// `npm run build`: writes the pre-built workflow bundle used by production workers
// (SYNCHRO_PREBUILT_BUNDLE=1), so that a worker starts without webpack.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildWorkflowBundle, PREBUILT_BUNDLE_PATH } from '../worker/bundle';

const bundle = await buildWorkflowBundle();
await mkdir(path.dirname(PREBUILT_BUNDLE_PATH), { recursive: true });
await writeFile(PREBUILT_BUNDLE_PATH, bundle.code);
await writeFile(`${PREBUILT_BUNDLE_PATH}.map`, bundle.sourceMap);
console.log(`Bundle des workflows écrit : ${PREBUILT_BUNDLE_PATH} (${Math.round(bundle.code.length / 1024)} Kio)`);
