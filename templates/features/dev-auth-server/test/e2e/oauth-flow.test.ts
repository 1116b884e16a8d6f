import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevAuthServer, type DevAuthServer } from '../../dev/auth-server.js';
import { tokenRules } from '../../src/auth/index.js';
import { advertisedScopes } from '../../src/mcp/server.js';
import { READ_SCOPE } from '../../src/scopes.js';
import { connectWithOAuth } from '../helpers/oauth-browser.js';
import { onFreePort, startTestServer, type TestServer } from '../helpers/mcp-server.js';

/**
 * The whole flow a real client goes through, headless: 401 → protected resource metadata → authorization server
 * metadata → dynamic registration → authorization code + PKCE with `resource` → JWT → tools/list → whoami.
 * Real parts only: the MCP SDK client, the development authorization server (oidc-provider), this server.
 */
let authServer: DevAuthServer;
let server: TestServer;

beforeAll(async () => {
  // The authorization server names the resource in its tokens, so it starts knowing the server's port.
  ({ authServer, server } = await onFreePort(async (port) => {
    const mcpUrl = `http://127.0.0.1:${port}/mcp`;
    const started = await startDevAuthServer({ issuer: 'http://127.0.0.1:0', resource: mcpUrl, scopes: [...advertisedScopes] });
    // The development server signs `at+jwt` tokens with `scope` and `client_id`: the `local` provider's rules.
    return { authServer: started, server: await startTestServer({ PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: started.issuer }).catch(async (error: unknown) => {
      await started.close();
      throw error;
    }) };
  }));
});
afterAll(async () => {
  await server?.close();
  await authServer?.close();
});

// The development server signs ES256 `at+jwt` tokens with only the standard claims; a provider preset that allows
// other algorithms only, or requires its own claims (Cognito token_use, Entra ver), is covered by test/auth/provider-*.
const devTokensFitThisProvider = tokenRules.algorithms.includes('ES256') && !tokenRules.requiredClaims;

describe.runIf(devTokensFitThisProvider)('the full OAuth flow with the MCP SDK client', () => {
  it('ends with the signed-in dev user calling whoami', async () => {
    const { client, close } = await connectWithOAuth(server.mcpUrl, { userId: 'bob' });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('whoami');
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      const identity = JSON.parse((result.content as { type: string; text: string }[])[0]!.text) as Record<string, unknown>;
      expect(identity['subject']).toBe('bob');
      expect(identity['issuer']).toBe(authServer.issuer);
      expect(identity['scopes']).toEqual(expect.arrayContaining([READ_SCOPE]));
    } finally {
      await close();
    }
  });

  it('gets every advertised scope in one consent, so no step-up is needed', async () => {
    const { client, tokens, close } = await connectWithOAuth(server.mcpUrl);
    try {
      expect(tokens?.scope?.split(' ')).toEqual(expect.arrayContaining([...advertisedScopes]));
      const result = await client.callTool({ name: 'list_notes', arguments: {} });
      expect(result.isError).toBeFalsy();
    } finally {
      await close();
    }
  });
});
