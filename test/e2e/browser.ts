import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * A real, headless Chromium for e2e tests that need a browser's own rules (cookies, redirects, form posts with
 * Origin, framing headers), driven through playwright-core, which downloads no browser of its own: it is Debian's
 * `chromium`, which `.ci/run` installs when missing. CHROMIUM_PATH names another executable.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumExecutable(): string {
  const explicit = process.env['CHROMIUM_PATH'];
  const found = explicit ? [explicit].filter(existsSync)[0] : CANDIDATES.find(existsSync);
  if (!found) {
    throw new Error(
      `no Chromium at ${explicit ?? CANDIDATES.join(', ')}: install it (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  return found;
}

/**
 * `offline`: the browser resolves no host name but localhost (127.0.0.1 still connects), so a test may send it to any https
 * address, such as a hostile redirect URI, and watch the request without anything leaving the machine. Playwright's
 * `route` cannot stand in: it does not see the requests that redirects make.
 */
export function launchChromium(options: { offline?: boolean } = {}): Promise<Browser> {
  const args = options.offline ? ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'] : [];
  // Chromium's sandbox cannot start as root (CI runs as root); elsewhere it stays on.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: chromiumExecutable(), headless: true, args });
}
