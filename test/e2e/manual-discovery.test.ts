import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './run.js';

/**
 * The escape hatch through the BUILT CLI: a Hono project made with `--jwks-uri` records it, gets the
 * features/manual-discovery layer, installs, type-checks and passes the layer's own tests (a local JWKS server).
 */
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), 'create-mcp-auth-server-manual-discovery-e2e-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const dir = join(workspace, 'eh-hono');

describe('--jwks-uri', () => {
  it('renders, installs, type-checks and passes the manual-discovery tests', async () => {
    await run('node', [cli, dir, '--yes', '--no-git', '--pm', 'npm', '--framework', 'hono', '--provider', 'oidc', '--issuer', 'https://id.example.com', '--jwks-uri', 'https://id.example.com/keys'], { cwd: workspace });
    expect(JSON.parse(readFileSync(join(dir, '.mcp-auth-server.json'), 'utf8')).answers).toMatchObject({ jwksUri: 'https://id.example.com/keys' });
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^AUTH_JWKS_URI=https:\/\/id\.example\.com\/keys$/m);
    expect(existsSync(join(dir, 'src/auth/manual-discovery.ts'))).toBe(true);
    await run(join(dir, 'node_modules', '.bin', 'tsc'), ['--noEmit'], { cwd: dir });
    // eslint-disable-next-line no-control-regex -- strip the runner's colours before reading its summary
    const output = (await run(join(dir, 'node_modules', '.bin', 'vitest'), ['run', 'test/auth/manual-discovery.test.ts'], { cwd: dir, env: { CI: '1' } })).replace(/\x1b\[[0-9;]*m/g, '');
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/\d+ failed/);
  });
});
