import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/mcp-server.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

/**
 * AUTH_SERVER_METADATA_SHIM=1, for providers whose metadata omits `code_challenge_methods_supported` (Entra ID,
 * Cognito; the stand-in omits it too): strict MCP clients refuse such a provider, so this server names itself as
 * the authorization server and serves a corrected copy whose endpoints still point at the provider.
 */
let provider: TestIssuer;
let server: TestServer;

beforeAll(async () => {
  provider = await startTestIssuer({ alg: 'RS256' });
  // What the shim is for: a provider whose metadata names no PKCE method.
  provider.metadataOverrides = { code_challenge_methods_supported: undefined };
  server = await startTestServer({ AUTH_ISSUER: provider.issuer, AUTH_SERVER_METADATA_SHIM: '1' });
});
afterAll(async () => {
  await server?.close();
  await provider?.close();
});

const origin = () => new URL(server.mcpUrl).origin;

describe('the metadata shim', () => {
  it('names this server\'s origin as the authorization server in the protected resource metadata', async () => {
    const prm = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.mcpUrl))).json()) as { authorization_servers: string[] };
    expect(prm.authorization_servers).toEqual([origin()]);
  });

  it.each(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'])('serves %s with S256 added, its own issuer, and the provider\'s endpoints', async (path) => {
    const response = await fetch(new URL(path, server.mcpUrl));
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: origin(),
      code_challenge_methods_supported: ['S256'],
      authorization_endpoint: `${provider.issuer}/authorize`,
      token_endpoint: `${provider.issuer}/token`,
      jwks_uri: `${provider.issuer}/jwks`,
    });
  });

  it('still checks tokens against the provider\'s own issuer (the shim changes what clients read, not what tokens say)', async () => {
    expect(server.mcpAuth.metadataShim).toBe(true);
    const forged = await provider.sign({ iss: origin(), aud: server.mcpUrl, sub: 'x', exp: Math.floor(Date.now() / 1000) + 60 });
    const response = await fetch(server.mcpUrl, { method: 'POST', headers: { Authorization: `Bearer ${forged}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
  });
});
