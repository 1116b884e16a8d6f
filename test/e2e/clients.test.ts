import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from './conformance/dev-server.js';
import { generatedProject, installedClients } from './conformance/shared-cache.js';
import { run } from './run.js';
import { connectThroughOAuth, v1Client, v2Client, type CallbackProvider, type ClientModules } from './sdk-clients.js';

/**
 * Three real MCP clients, installed from the registry at the versions pinned in `clients/package.json` (not the
 * generated project's own copy), against a generated server of each framework and its development authorization
 * server: each completes the OAuth flow and calls `whoami`.
 * - `@modelcontextprotocol/sdk` 1.x, the client most deployed hosts still embed (2025-era protocol);
 * - `@modelcontextprotocol/client` v2, with 2026-07-28 negotiation (`versionNegotiation: 'auto'`) and without;
 * - the MCP Inspector CLI, which cannot drive a browser sign-in: it gets `--header "Authorization: Bearer …"` with a
 *   token obtained through the same real flow (registration, authorization code + PKCE, sign-in, token).
 * The OAuth "browser" is the generated project's own `OAuthBrowser` (`test/helpers/oauth-browser.ts`): a plain
 * `OAuthClientProvider` that follows redirects and submits the sign-in form, so both SDK generations use it as is.
 */
interface Identity {
  subject: string;
  scopes: string[];
  clientId: string;
}

interface ToolResult {
  content: { type: string; text?: string }[];
  structuredContent?: unknown;
}

let clientsDir: string;
const matrix: string[] = [];
beforeAll(async () => {
  clientsDir = await installedClients();
}, 600_000);
afterAll(() => console.log(`\nclient × framework (OAuth flow against the dev authorization server, then whoami):\n${matrix.sort().join('\n')}`));

function whoamiIdentity(result: unknown): Identity {
  const text = (result as ToolResult).content.find((part) => part.type === 'text')?.text;
  return JSON.parse(text ?? '{}') as Identity;
}

/** The OAuth flow through the project's headless browser, then tools/list and whoami. */
async function flowWithSdk(dev: DevServer, sdk: ClientModules, clientName: string, options: Record<string, unknown> = {}) {
  const browser = new dev.OAuthBrowser({ clientName }) as object & CallbackProvider;
  const { client, protocol } = await connectThroughOAuth(sdk, dev.mcpUrl, browser, clientName, options);
  try {
    const tools = (await client.listTools()).tools.map((tool) => tool.name);
    const identity = whoamiIdentity(await client.callTool({ name: 'whoami', arguments: {} }));
    return { tools, identity, protocol };
  } finally {
    await client.close();
  }
}

describe.each(['express', 'hono'] as const)('real MCP clients against a generated %s server', (framework) => {
  let dev: DevServer;
  beforeAll(async () => {
    dev = await startDevServer(await generatedProject(framework));
  });
  afterAll(() => dev?.stop());

  it('the v1 SDK client (@modelcontextprotocol/sdk 1.x) completes the OAuth flow and calls whoami', async () => {
    const { identity, tools, protocol } = await flowWithSdk(dev, await v1Client(clientsDir), 'sdk-v1 e2e');
    expect(tools).toContain('whoami');
    expect(identity).toMatchObject({ subject: 'alice', scopes: ['read', 'write'] });
    matrix.push(`  ${framework.padEnd(7)} @modelcontextprotocol/sdk 1.x            ok  protocol ${protocol}, subject ${identity.subject}`);
  });

  it('the v2 client (@modelcontextprotocol/client) completes the OAuth flow and calls whoami, on 2026-07-28 and 2025-era', async () => {
    const sdk = await v2Client(clientsDir);
    const modern = await flowWithSdk(dev, sdk, 'sdk-v2 e2e (auto)', { versionNegotiation: { mode: 'auto' } });
    expect(modern.protocol).toBe('2026-07-28');
    expect(modern.identity).toMatchObject({ subject: 'alice', scopes: ['read', 'write'] });
    const legacy = await flowWithSdk(dev, sdk, 'sdk-v2 e2e (legacy)');
    expect(legacy.identity).toMatchObject({ subject: 'alice', scopes: ['read', 'write'] });
    matrix.push(`  ${framework.padEnd(7)} @modelcontextprotocol/client 2.x         ok  protocol ${modern.protocol} (auto) and ${legacy.protocol} (default)`);
  });

  it('the MCP Inspector CLI calls whoami with a token from the real flow', async () => {
    const token = await dev.fetchAccessToken();
    const inspector = join(clientsDir, 'node_modules/.bin/mcp-inspector');
    const base = ['--cli', dev.mcpUrl, '--transport', 'http', '--header', `Authorization: Bearer ${token}`];
    const listed = JSON.parse(await run(inspector, [...base, '--method', 'tools/list'], { cwd: clientsDir, timeoutMs: 60_000 })) as { tools: { name: string }[] };
    expect(listed.tools.map((tool) => tool.name)).toContain('whoami');
    const called = JSON.parse(await run(inspector, [...base, '--method', 'tools/call', '--tool-name', 'whoami'], { cwd: clientsDir, timeoutMs: 60_000 })) as ToolResult;
    const identity = whoamiIdentity(called);
    expect(identity).toMatchObject({ subject: 'alice', scopes: ['read', 'write'] });

    // Without the header it meets the 401 challenge (and, without a terminal, will not start a browser sign-in).
    await expect(run(inspector, ['--cli', dev.mcpUrl, '--transport', 'http', '--method', 'tools/list'], { cwd: clientsDir, timeoutMs: 60_000 })).rejects.toThrow(/auth_required|401|nauthori/);
    matrix.push(`  ${framework.padEnd(7)} @modelcontextprotocol/inspector --cli    ok  Bearer token from the real flow, subject ${identity.subject}`);
  });
});
