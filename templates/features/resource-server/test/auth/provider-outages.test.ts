import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DiscoveryError } from '../../src/auth/index.js';
import { checkAuthorizationServer } from '../../src/start.js';
import { createAttackTable } from '../helpers/attack-table.js';
import { initializeBody, post } from '../helpers/mcp-client.js';
import { startServerWithTestIssuer, type TestServer } from '../helpers/mcp-server.js';
import type { TestIssuer } from '../helpers/test-issuer.js';

/** The provider misbehaves; the server must answer 503 (never 500, never a stack) and recover by itself. */
let issuer: TestIssuer;
let server: TestServer;

let close: (() => Promise<void>) | undefined;
const table = createAttackTable('discovery');
afterAll(() => table.flush());

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

  it('after recovering, never fetches the metadata again: not per request, not as hours pass, not when the provider then answers 429', async () => {
    await start();
    issuer.fail.discovery = 503;
    const burst = async (count: number) => (await Promise.all(Array.from({ length: count }, async () => (await call(await issuer.mint({ jti: randomUUID() }))).status)));
    expect(await burst(20)).toEqual(Array(20).fill(503));
    const duringFirstFailure = issuer.requests.discovery;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5100);
    // Still failing at the retry: the concurrent callers share that one retry.
    expect(await burst(20)).toEqual(Array(20).fill(503));
    const sharedRetries = issuer.requests.discovery - duringFirstFailure;
    table.add({ name: '20 concurrent requests during a discovery failure, twice', expected: '1 fetch each time', got: `${duringFirstFailure} then ${sharedRetries} fetch(es)` });
    expect([duringFirstFailure, sharedRetries]).toEqual([1, 1]);

    issuer.fail.discovery = undefined;
    vi.setSystemTime(Date.now() + 5100);
    expect((await call(await issuer.mint())).status).toBe(200);
    const atRecovery = issuer.requests.discovery;
    // Every request below needs the metadata: new tokens (never cached) and the metadata mirror.
    const mirror = async () => (await fetch(new URL('/.well-known/oauth-authorization-server', server.mcpUrl))).status;
    const statuses: number[] = [];
    for (const minutes of [1, 5, 30, 120]) {
      vi.setSystemTime(Date.now() + minutes * 60_000);
      statuses.push(...(await burst(5)), await mirror(), await mirror());
    }
    const afterRecovery = issuer.requests.discovery - atRecovery;
    table.add({ name: 'discovery fetch count after recovery (28 requests over 2.6 h)', expected: '0 fetches', got: `${afterRecovery} fetches` });
    expect(afterRecovery).toBe(0);
    expect(statuses).toEqual(Array(statuses.length).fill(200));

    // The provider now rate-limits discovery: it does not matter, the metadata is never asked for again.
    issuer.fail.discovery = 429;
    const during429: number[] = [];
    for (const minutes of [1, 10, 60]) {
      vi.setSystemTime(Date.now() + minutes * 60_000);
      during429.push(...(await burst(3)), await mirror());
    }
    const fetchesDuring429 = issuer.requests.discovery - atRecovery;
    table.add({ name: 'discovery answers 429 after a success', expected: '0 fetches, all 200', got: `${fetchesDuring429} fetches, ${during429.filter((s) => s === 200).length}/${during429.length} 200` });
    expect(fetchesDuring429).toBe(0);
    expect(during429).toEqual(Array(during429.length).fill(200));
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
