/**
 * A real headless Chromium for browser tests: Debian's /usr/bin/chromium driven by
 * playwright-core. Without the binary the tests are skipped with a message locally, but on CI
 * (`CI` set) a missing browser is a failure: the test command installs it there.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SSOT_CHROMIUM ?? '/usr/bin/chromium';
/**
 * Screenshots go to test-output/ (git-ignored) so a test run leaves the tree clean;
 * SSOT_UPDATE_SCREENSHOTS=1 writes the README's copies in docs/screenshots instead.
 */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, process.env.SSOT_UPDATE_SCREENSHOTS ? '../../docs/screenshots' : '../../test-output/screenshots');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why browser tests cannot run here, or undefined when they can. Throws on CI without a browser. */
export function chromiumSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set SSOT_CHROMIUM)`;
  if (process.env.CI) throw new Error(`${reason}: browser tests must run on CI`);
  console.warn(`skipping browser tests: ${reason}`);
  return reason;
}

/** One browser per test file; close it in afterAll. `launch` gives every browser a fresh temporary profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, timeout: 30_000 });
}
