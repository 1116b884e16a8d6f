import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiscoveryError } from '../../src/auth/index.js';
import { checkAuthorizationServer } from '../../src/start.js';
import { initializeBody, post } from '../helpers/mcp-client.js';
import { startServerWithTestIssuer, type TestServer } from '../helpers/mcp-server.js';
import type { TestIssuer } from '../helpers/test-issuer.js';

/** The provider misbehaves; the server must answer 503 (never 500, never a stack) and recover by itself. */
let issuer: TestIssuer;
let server: TestServer;

let close: (() => Promise<void>) | undefined;

async function start() {
  ({ issuer, server, close } = await startServerWithTestIssuer());
}
afterEach(async () => {
  vi.useRealTimers();
  await close?.();
  close = undefined;
});

const call = async (token: string) => post(server.mcpUrl, initializeBody(), { Authorization: `Bearer ${token}` });

describe('when the provider is down', () => {
  it('answers 503 with Retry-After while the JWKS fails, fetches it at most once per pause, then recovers without a restart', async () => {
    await start();
    const token = await issuer.mint();
    issuer.fail.jwks = 500;
    const down = await call(token);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.text()).not.toContain('    at ');
    const fetched = issuer.requests.jwks;
    // Within the failure backoff nobody fetches again, even after the provider is back: 503 at once.
    issuer.fail.jwks = undefined;
    for (let i = 0; i < 10; i++) expect((await call(token)).status).toBe(503);
    expect(issuer.requests.jwks).toBe(fetched);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5100);
    expect((await call(token)).status).toBe(200);
    expect(issuer.requests.jwks).toBe(fetched + 1);
  });

  it('answers 503 while discovery fails, retries after a pause instead of on every request, then recovers', async () => {
    await start();
    issuer.fail.discovery = 503;
    const token = await issuer.mint();
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(token)));
    expect(answers.map((response) => response.status)).toEqual(Array(20).fill(503));
    expect(issuer.requests.discovery).toBe(1);
    issuer.fail.discovery = undefined;
    // Only the clock moves (no fake timers): the next request comes 5.1 s "later", past the retry pause.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5100);
    expect((await call(token)).status).toBe(200);
    expect(issuer.requests.discovery).toBe(2);
  });

  it('still serves the protected resource metadata, which needs no provider', async () => {
    await start();
    issuer.fail.discovery = 503;
    const response = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.mcpUrl));
    expect(response.status).toBe(200);
  });

  it('answers 503 on the authorization server metadata mirror', async () => {
    await start();
    issuer.fail.discovery = 502;
    const response = await fetch(new URL('/.well-known/oauth-authorization-server', server.mcpUrl));
    expect(response.status).toBe(503);
  });
});

describe('when the provider answers for another issuer', () => {
  it('refuses tokens and makes the start-up check fail with the two issuers named', async () => {
    await start();
    issuer.claimIssuer = `${issuer.issuer}/`;
    expect((await call(await issuer.mint())).status).toBe(503);
    const check = checkAuthorizationServer(server.mcpAuth, () => {});
    await expect(check).rejects.toThrow(DiscoveryError);
    await expect(check).rejects.toThrow(/issuer mismatch/);
  });
});
