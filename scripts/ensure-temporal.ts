// `npx tsx scripts/ensure-temporal.ts`: finds the Temporal CLI or builds it with Go into the cache
// (used by .ci/run so that the first test does not pay for the build). Prints the path.
import { ensureTemporalCli } from '../client/temporal/cli-binary';

const cli = await ensureTemporalCli(process.env, (line) => console.log(line));
if (cli) {
  console.log(`temporal CLI: ${cli.path} (${cli.source})`);
} else {
  console.log('temporal CLI: absent and Go is not installed; @temporalio/testing will download it on first use.');
}
