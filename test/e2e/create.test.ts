import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, run, start } from './run.js';

/**
 * End to end, for every framework × transport: the BUILT CLI writes a project into a temp dir outside the repo,
 * installs it for real, type-checks it, runs its own tests, boots it with the development authorization server,
 * and a real MCP SDK client completes the OAuth flow against it.
 */
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), 'create-mcp-auth-server-e2e-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const combinations = [
  { framework: 'express', transport: 'stateless' },
  { framework: 'hono', transport: 'stateless' },
  { framework: 'express', transport: 'stateful' },
  { framework: 'hono', transport: 'stateful' },
] as const;

describe.each(combinations)('a generated $framework project ($transport)', ({ framework, transport }) => {
  const dir = join(workspace, `mcp-${framework}-${transport}`);

  it('is written, installed and committed by the CLI', async () => {
    const output = await run('node', [cli, dir, '--yes', '--framework', framework, '--transport', transport, '--pm', 'npm'], { cwd: workspace });
    expect(output).toContain('http://localhost:3000/mcp');
    const answers = JSON.parse(readFileSync(join(dir, '.mcp-auth-server.json'), 'utf8')) as { answers: Record<string, unknown> };
    expect(answers.answers).toMatchObject({ framework, transport, provider: 'local', scopes: ['read', 'write'] });
    expect(await run('git', ['status', '--porcelain'], { cwd: dir })).toBe('');
  });

  it('type-checks and passes its own tests', async () => {
    await run('npm', ['run', 'typecheck'], { cwd: dir });
    // eslint-disable-next-line no-control-regex -- strip the test runner's colours before reading its summary
    const output = (await run('npm', ['test'], { cwd: dir })).replace(/\x1b\[[0-9;]*m/g, '');
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
  });

  it('boots with `dev`, serves metadata, challenges without a token, and completes the OAuth flow', async () => {
    const [port, authPort] = [await freePort(), await freePort()];
    const mcpUrl = `http://localhost:${port}/mcp`;
    const server = await start('npm', ['run', 'dev'], {
      cwd: dir,
      env: { PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: `http://localhost:${authPort}`, DEV_AUTH_AUTO_APPROVE: '1' },
      ready: /Paste this URL/,
    });
    try {
      const metadata = await fetch(`http://localhost:${port}/.well-known/oauth-protected-resource/mcp`);
      expect(metadata.status).toBe(200);
      expect(await metadata.json()).toMatchObject({ resource: mcpUrl, authorization_servers: [`http://localhost:${authPort}`] });

      const challenge = await fetch(mcpUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(challenge.status).toBe(401);
      expect(challenge.headers.get('www-authenticate')).toBe(
        `Bearer scope="read write", resource_metadata="http://localhost:${port}/.well-known/oauth-protected-resource/mcp"`,
      );

      // The project's own headless browser drives its own installed MCP SDK client: nothing here is a stand-in.
      const { connectWithOAuth } = (await import(pathToFileURL(join(dir, 'test/helpers/oauth-browser.ts')).href)) as typeof import('./oauth-browser-types.js');
      const started = performance.now();
      const { client, close } = await connectWithOAuth(mcpUrl);
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      console.log(`full OAuth flow + whoami (${framework}, ${transport}): ${Math.round(performance.now() - started)} ms`);
      await close();
      const identity = JSON.parse((result.content as { text: string }[])[0]!.text) as { subject: string; scopes: string[] };
      expect(identity.scopes).toEqual(['read', 'write']);
      expect(identity.subject).toBeTruthy();
    } finally {
      await server.stop();
    }
  });

  it.runIf(transport === 'stateless')('runs with `npm start` straight after install, without the development server', async () => {
    const port = await freePort();
    const server = await start('npm', ['start'], {
      cwd: dir,
      env: { PORT: String(port), AUTH_ISSUER: 'http://localhost:1' },
      // The issuer is down on purpose: the server must start anyway and say so.
      ready: /unreachable for now/,
    });
    try {
      expect(server.output()).toContain(`MCP URL for clients: http://localhost:${port}/mcp`);
      expect((await fetch(`http://localhost:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://localhost:${port}/mcp`, { method: 'POST' })).status).toBe(401);
    } finally {
      await server.stop();
    }
  });
});
