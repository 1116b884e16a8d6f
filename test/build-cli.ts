/**
 * Vitest global setup of the test projects that run the built CLI (test/cli, test/e2e): builds dist/ before their
 * first test, so `npx vitest run test/cli` works on a clean checkout and never runs a stale bundle. test/unit needs
 * no build and has no such setup.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../', import.meta.url));
/** Both projects list this setup and vitest may load it once per project: one build per run is enough. */
const BUILT = Symbol.for('create-mcp-auth-server.test.built-cli');

export default function buildCli(): void {
  const shared = globalThis as { [BUILT]?: boolean };
  if (shared[BUILT]) return;
  // Piped, not inherited: a successful build stays quiet, a failed one throws with the build's output.
  execFileSync('npm', ['run', 'build'], { cwd: REPOSITORY, encoding: 'utf8', stdio: 'pipe' });
  shared[BUILT] = true;
}
