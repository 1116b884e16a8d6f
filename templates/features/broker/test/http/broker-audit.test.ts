import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../helpers/mcp-client.js';
import { signIn, startBrokerServer, type BrokerServer } from '../helpers/broker-server.js';
import { followToCallback } from '../helpers/upstream-stand-ins.js';

/**
 * The security audit's attacks at /mcp of the real server in broker mode: only the broker's own, live access tokens
 * pass the bearer gate. A JWT the provider signed (its ID token: a real, unexpired, verifiable JWT about the same user)
 * is not one of them, and an access token dies with its grant when a refresh token is replayed.
 */
let running: BrokerServer;
beforeAll(async () => {
  running = await startBrokerServer();
}, 30_000);
afterAll(() => running?.close());

const atMcp = (token: string) => post(running.server.mcpUrl, {}, { Authorization: `Bearer ${token}` });
const refresh = (refreshToken: string, clientId: string) =>
  fetch(`${running.origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }),
  });

/** Signs in at the provider stand-in as the broker's own app (its credentials), as an attacker who has them would. */
async function providerIdToken(): Promise<string> {
  const callback = `${running.origin}/oauth/callback`;
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL('/auth', running.provider.origin);
  const params = { client_id: 'broker-app', redirect_uri: callback, response_type: 'code', scope: 'openid profile email', state: 's', nonce: 'n', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' };
  for (const [name, value] of Object.entries(params)) authorize.searchParams.set(name, value);
  const back = await followToCallback(authorize, callback);
  const response = await fetch(new URL('/token', running.provider.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('broker-app:broker-app-secret').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: callback, code_verifier: verifier }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id_token: string }).id_token;
}

describe('the bearer gate of a broker project', () => {
  it("refuses a JWT the provider signed (its ID token for the broker's app): 401 invalid_token", async () => {
    const idToken = await providerIdToken();
    expect(idToken.split('.')).toHaveLength(3);
    const response = await atMcp(idToken);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses the newest access token of a grant once an old refresh token of it was replayed: 401', async () => {
    const user = await signIn(running.origin, running.server.mcpUrl);
    const rotated = await refresh(user.refreshToken, user.clientId);
    expect(rotated.status).toBe(200);
    const { access_token: newest } = (await rotated.json()) as { access_token: string };
    expect((await atMcp(newest)).status).not.toBe(401); // the control: the rotated token works until the replay
    expect((await refresh(user.refreshToken, user.clientId)).status).toBe(400);
    expect((await atMcp(newest)).status).toBe(401);
    expect((await atMcp(user.accessToken)).status).toBe(401);
  });
});
