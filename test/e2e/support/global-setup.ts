import { ensureClientBuild } from '../../../server/client-build.ts';
import { CHROMIUM, hasChromium } from './browser.ts';

/**
 * Once before the e2e files: the browser app is built (when missing or stale) here, so the servers
 * the files start never build it at the same time; and a missing Chromium fails the run at once
 * (this suite never skips).
 */
export default async function setup(): Promise<void> {
  if (!hasChromium()) throw new Error(`the e2e suite needs Chromium at ${CHROMIUM} (Debian's chromium package; .ci/run installs it) or CHROMIUM=<path>`);
  await ensureClientBuild((message) => process.stdout.write(`e2e: ${message}\n`));
}
