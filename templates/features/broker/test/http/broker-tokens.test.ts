import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerAccessOf } from '../../src/broker/index.js';
import { openSession, post, readResult } from '../helpers/mcp-client.js';
import { signIn, startBrokerServer, type BrokerServer, type SignedIn } from '../helpers/broker-server.js';

/**
 * The real server in broker mode, end to end over HTTP: the metadata names the broker, a token got through the
 * consent page reaches the tools, and every other token is refused at /mcp.
 */
let running: BrokerServer;
let user: SignedIn;
beforeAll(async () => {
  running = await startBrokerServer();
  user = await signIn(running.origin, running.server.mcpUrl);
}, 30_000);
afterAll(() => running?.close());

async function callTool(token: string, name: string) {
  const session = await openSession(running.server.mcpUrl, token);
  return readResult(await session.request('tools/call', { name, arguments: {} }));
}

describe('a broker project', () => {
  it('names the broker (its own origin) as the authorization server in the protected resource metadata', async () => {
    const metadata = (await (await fetch(`${running.origin}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(metadata['resource']).toBe(running.server.mcpUrl);
    expect(metadata['authorization_servers']).toEqual([running.origin]);
  });

  it("serves the broker's own authorization server metadata, not a copy of the provider's", async () => {
    const metadata = (await (await fetch(`${running.origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata['issuer']).toBe(running.origin);
    expect(metadata['token_endpoint']).toBe(`${running.origin}/oauth/token`);
    expect(metadata['registration_endpoint']).toBe(`${running.origin}/oauth/register`);
    expect(metadata['issuer']).not.toBe(running.provider.origin);
  });

  it('answers /mcp without a token with 401 and a challenge naming the metadata and every scope', async () => {
    const response = await post(running.server.mcpUrl, {});
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain(`resource_metadata="${running.origin}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).toMatch(/scope="read write"/);
  });

  it('lets a broker token call whoami: the user the provider signed in, by its stable id', async () => {
    const { result } = await callTool(user.accessToken, 'whoami');
    const identity = result?.['structuredContent'] as Record<string, unknown>;
    expect(identity['subject']).toBe(running.expected.subject);
    expect(identity['clientId']).toBe(user.clientId);
    expect(identity['issuer']).toBe(running.origin);
  });

  it("lets provider_profile read the user's profile at the provider with the provider's own token", async () => {
    const before = running.provider.requests[running.expected.profilePath] ?? 0;
    const { result } = await callTool(user.accessToken, 'provider_profile');
    expect(result?.['isError']).toBeFalsy();
    expect(result?.['structuredContent']).toMatchObject({ email: running.expected.email });
    expect(running.provider.requests[running.expected.profilePath] ?? 0).toBe(before + 1);
  });

  it('answers provider_profile with a clear tool error while the provider is down, and works again after', async () => {
    running.provider.setDown(true);
    try {
      const { result } = await callTool(user.accessToken, 'provider_profile');
      expect(result?.['isError']).toBe(true);
      expect(JSON.stringify(result?.['content'])).toMatch(/try again shortly/);
    } finally {
      running.provider.setDown(false);
    }
    expect((await callTool(user.accessToken, 'provider_profile')).result?.['isError']).toBeFalsy();
  });

  it("refuses the provider's own access token at /mcp (no token passthrough): 401", async () => {
    const auth = await running.server.broker.verifier.verifyAccessToken(user.accessToken);
    const providerToken = await providerAccessOf(auth)!.accessToken();
    expect(providerToken).not.toBe(user.accessToken);
    const response = await post(running.server.mcpUrl, {}, { Authorization: `Bearer ${providerToken}` });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses a revoked token at once (no cache hides the revocation): 401', async () => {
    const other = await signIn(running.origin, running.server.mcpUrl);
    expect((await callTool(other.accessToken, 'whoami')).result).toBeDefined();
    const revoke = await fetch(`${running.origin}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: other.refreshToken, client_id: other.clientId }),
    });
    expect(revoke.status).toBe(200);
    const response = await post(running.server.mcpUrl, {}, { Authorization: `Bearer ${other.accessToken}` });
    expect(response.status).toBe(401);
  });
});
