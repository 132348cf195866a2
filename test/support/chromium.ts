// The browser tests' Chromium: Debian's headless one (`.ci/run` installs `chromium`), or the binary
// named by SYNCHRO_CHROMIUM_PATH. On a machine without it the browser suites are skipped and say
// why (as the PostgreSQL variant of the db suite does, test/db/drivers.ts); under CI=true they
// run anyway and fail with that reason: a missing browser is never a silent pass.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe } from 'vitest';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const inCi = Boolean(process.env.CI);

/** The binary to launch, when there is one. */
export const CHROMIUM_PATH: string | undefined = process.env.SYNCHRO_CHROMIUM_PATH?.trim() || CANDIDATES.find((p) => existsSync(p));

/** Why the browser tests cannot run here, or undefined when they can. */
export const chromiumMissing: string | undefined = (() => {
  const named = process.env.SYNCHRO_CHROMIUM_PATH?.trim();
  if (named && !existsSync(named)) return `SYNCHRO_CHROMIUM_PATH names ${named}, which does not exist`;
  if (!CHROMIUM_PATH) return `no Chromium found (${CANDIDATES.join(', ')}; install Debian's \`chromium\` or set SYNCHRO_CHROMIUM_PATH)`;
  return undefined;
})();

/**
 * `describe` for a suite that drives Chromium: skipped with its reason in the title when there is
 * none here, except under CI where it runs and its first test fails with that reason.
 */
export function browserSuite(title: string, body: () => void): void {
  if (!chromiumMissing) {
    describe(title, body);
    return;
  }
  if (!inCi) {
    console.warn(`${title}: skipped, ${chromiumMissing}`);
    describe.skip(`${title} (skipped: ${chromiumMissing})`, body);
    return;
  }
  describe(title, body);
}

/** The path to launch; throws the reason (the CI case of browserSuite) when there is none. */
export function chromiumPath(): string {
  if (chromiumMissing || !CHROMIUM_PATH) throw new Error(`${chromiumMissing ?? 'no Chromium'}. CI is set, so the browser tests must run, not be skipped.`);
  return CHROMIUM_PATH;
}

/** Headless, and nothing of its own reaching out (no QUIC, no background networking, updates or sync): what a browser test launches with. */
export const CHROMIUM_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches the browser tests' Chromium (playwright-core drives it). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
}
