import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, post } from '../helpers/mcp-client.js';
import { signIn, startBrokerServer, type BrokerServer, type SignedIn } from '../helpers/broker-server.js';

/** The broker's state (signing keys, grants) lives in AUTH_BROKER_STATE_FILE: a restart keeps users signed in. */
let running: BrokerServer;
let user: SignedIn;
beforeAll(async () => {
  running = await startBrokerServer();
  user = await signIn(running.origin, running.server.mcpUrl);
}, 30_000);
afterAll(() => running?.close());

describe('a broker project restarted on the same state file', () => {
  it('still accepts the tokens it issued before', async () => {
    await running.restart();
    const session = await openSession(running.server.mcpUrl, user.accessToken);
    expect((await session.request('tools/list')).status).toBe(200);
  }, 30_000);

  it('refuses them once MCP_SERVER_URL names another resource: a broker token for another audience is 401', async () => {
    // Same keys, same issuer (the origin), another resource: the token's `aud` is the old MCP URL.
    const server = await running.restart({ MCP_SERVER_URL: `${running.origin}/other-mcp` });
    const response = await post(`${running.origin}/other-mcp`, {}, { Authorization: `Bearer ${user.accessToken}` });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(server.mcpUrl).toBe(`${running.origin}/other-mcp`);
  }, 30_000);
});
