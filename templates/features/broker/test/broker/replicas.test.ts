/**
 * Three replicas behind a round-robin proxy, one real Redis (issue: Replicas): every step of a client's life may land
 * on another replica, single use holds across them, a dead replica costs one retry, and a Redis outage is a clear
 * 503 with Retry-After, then recovery with nothing committed lost. Prints the request count per replica and the
 * 5xx seen outside the outage window (figures for the release note).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/broker/redis-store.js';
import { deriveSecrets } from '../../src/broker/secrets.js';
import { createSigningKeys } from '../../src/broker/signing-keys.js';
import { testClock } from '../helpers/broker-core-setup.js';
import { STAND_IN_FACTS } from '../helpers/broker-server.js';
import { startTestServer } from '../helpers/mcp-server.js';
import { redisServerPath } from '../helpers/redis-server.js';
import { startLoad, until } from '../helpers/replica-load.js';
import { authorizeUrl, callWhoami, CLIENT_REDIRECT, fromProviderToCallback, obtainCode, pkcePair, postForm, redeem, registerClient, startReplicaSet, type ReplicaSet } from '../helpers/replica-set.js';
import { TestBrowser } from '../helpers/test-browser.js';

const SKIP = redisServerPath ? false : 'redis-server is not installed (apt-get install redis-server, as .ci/run does)';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

describe.skipIf(SKIP)('three replicas sharing one Redis', { timeout: 30_000 }, () => {
  let set: ReplicaSet;
  beforeAll(async () => {
    set = await startReplicaSet(3);
  }, 30_000);
  afterAll(async () => {
    if (!set) return;
    const perReplica = set.replicas.map((_replica, i) => set.proxy.log.filter((entry) => entry.replica === i).length);
    console.log(`replicas: requests per replica through the proxy ${JSON.stringify(perReplica)}, total ${set.proxy.log.length}`);
    await set.close();
  });

  const tokenUrl = () => `${set.proxy.origin}/oauth/token`;
  const direct = (replica: number, path: string) => `${set.replicas[replica]!.url}${path}`;

  /** A client signed in through the proxy, with its tokens. */
  async function signedIn(): Promise<{ clientId: string; tokens: Tokens }> {
    const clientId = await registerClient(set.proxy.origin);
    const res = await redeem(tokenUrl(), clientId, await obtainCode(set, clientId));
    expect(res.status).toBe(200);
    return { clientId, tokens: (await res.json()) as Tokens };
  }

  it('registers on one replica, consents on another, gets its token from a third, calls tools on all', async () => {
    const { proxy } = set;
    proxy.sendNextTo(0);
    const clientId = await registerClient(proxy.origin);
    const browser = new TestBrowser([CLIENT_REDIRECT]);
    proxy.sendNextTo(1); // authorize on 1, the consent form's POST on 2, the provider's callback on 0
    const code = await obtainCode(set, clientId, browser);
    proxy.sendNextTo(2);
    const res = await redeem(tokenUrl(), clientId, code);
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Tokens;
    const servedBy = (path: string, method = 'POST') => proxy.log.filter((entry) => entry.path === path && entry.method === method).map((entry) => entry.replica);
    expect(servedBy('/oauth/register').at(-1)).toBe(0);
    expect(servedBy('/oauth/consent').at(-1)).toBe(2);
    expect(servedBy('/oauth/token').at(-1)).toBe(2);
    expect(servedBy('/oauth/callback', 'GET').at(-1)).toBe(0);
    // Every replica accepts the token (same signing key, same grant), through the proxy and at its own address.
    for (let i = 0; i < 3; i++) {
      expect(await callWhoami(set.mcpUrl, tokens.access_token)).toMatchObject({ status: 200, subject: STAND_IN_FACTS.subject });
      expect(await callWhoami(direct(i, '/mcp'), tokens.access_token)).toMatchObject({ status: 200, subject: STAND_IN_FACTS.subject });
    }
    // One signing key for all: the replicas publish the same JWKS.
    const jwks = await Promise.all([0, 1, 2].map(async (i) => JSON.stringify(await (await fetch(direct(i, '/oauth/jwks'))).json())));
    expect(new Set(jwks).size).toBe(1);
  });

  it('revokes the whole family when a rotated refresh token is reused on another replica', async () => {
    const { clientId, tokens } = await signedIn();
    const first = await postForm(direct(0, '/oauth/token'), { grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.refresh_token });
    expect(first.status).toBe(200);
    const rotated = (await first.json()) as Tokens;
    // The attacker replays the old refresh token at another replica: refused, and the family is gone.
    const replay = await postForm(direct(1, '/oauth/token'), { grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens.refresh_token });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    const next = await postForm(direct(2, '/oauth/token'), { grant_type: 'refresh_token', client_id: clientId, refresh_token: rotated.refresh_token });
    expect(next.status).toBe(400);
    for (let i = 0; i < 3; i++) expect((await callWhoami(direct(i, '/mcp'), rotated.access_token)).status).toBe(401);
  });

  it('honours a code redeemed at the same moment on two replicas at most once, and revokes the grant', async () => {
    let honoured = 0;
    for (let round = 0; round < 3; round++) {
      const clientId = await registerClient(set.proxy.origin);
      const code = await obtainCode(set, clientId);
      const answers = await Promise.all([redeem(direct(round % 3, '/oauth/token'), clientId, code), redeem(direct((round + 1) % 3, '/oauth/token'), clientId, code)]);
      const statuses = answers.map((res) => res.status);
      // Never two token sets. Which outcome depends on the interleaving: the first redemption wins (200) unless the
      // replay revoked the grant before the winner signed its tokens (both 400); a replay always ends the grant.
      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(1);
      expect(statuses.filter((status) => status === 400).length).toBeGreaterThanOrEqual(1);
      for (const res of answers) {
        const body = (await res.json()) as Partial<Tokens> & { error?: string };
        if (res.status === 400) expect(body.error).toBe('invalid_grant');
        if (res.status !== 200) continue;
        honoured++;
        // A replayed code means it leaked (RFC 9700 §4.5): the winner's tokens stop working too, on every replica.
        for (let i = 0; i < 3; i++) expect((await callWhoami(direct(i, '/mcp'), body.access_token!)).status).toBe(401);
        const refresh = await postForm(tokenUrl(), { grant_type: 'refresh_token', client_id: clientId, refresh_token: body.refresh_token! });
        expect(refresh.status).toBe(400);
      }
      expect((await redeem(tokenUrl(), clientId, code)).status).toBe(400);
    }
    console.log(`replicas: concurrent code redemption honoured ${honoured} of 3 times (0 = the replay revoked the grant first)`);
  });

  it('rotates the signing key once when replicas with their own Redis connections find it due at the same moment', async () => {
    // Three connections (as three replicas have) under a prefix of their own, so the live replicas are untouched.
    const clock = testClock();
    const secrets = await deriveSecrets(randomBytes(32).toString('base64url'));
    const keyPrefix = `rotation-${randomBytes(4).toString('hex')}:`;
    const connections = await Promise.all([0, 1, 2].map(() => createRedisStore({ url: set.redis.url, keyPrefix, log: () => undefined })));
    try {
      const keys = await Promise.all(connections.map((store) => createSigningKeys({ store, secrets, now: clock.now, accessTokenSeconds: 300, log: () => undefined })));
      const firsts = await Promise.all(keys.map(async (k) => (await k.current()).kid));
      expect(new Set(firsts).size).toBe(1);
      clock.advance(91 * 86_400);
      const rotated = await Promise.all(keys.map((k) => k.rotateIfDue()));
      expect(rotated.filter(Boolean)).toHaveLength(1);
      const currents = await Promise.all(keys.map(async (k) => (await k.current()).kid));
      expect(new Set(currents).size).toBe(1);
      expect(currents[0]).not.toBe(firsts[0]);
      // The old key stays published everywhere while tokens it signed may still be live.
      for (const k of keys) expect((await k.jwks()).keys.map((key) => key.kid)).toEqual([currents[0], firsts[0]]);
    } finally {
      await Promise.all(connections.map((store) => store.close()));
    }
  });

  it('refuses to start a replica whose AUTH_BROKER_SECRET differs from the others, saying so', async () => {
    const stranger = startTestServer({ ...set.env, AUTH_BROKER_SECRET: randomBytes(32).toString('base64url') });
    await expect(stranger).rejects.toThrow(/AUTH_BROKER_SECRET changed/);
  });

  it('answers 503 with Retry-After while Redis is down, recovers after its restart, and keeps what was committed', async () => {
    const before = await signedIn();
    // Two sign-ins caught mid-way: one at its consent page, one back from the provider (at the callback).
    const atConsent = new TestBrowser([CLIENT_REDIRECT]);
    const consentPage = await atConsent.open(authorizeUrl(set, before.clientId, pkcePair().challenge));
    const atCallback = new TestBrowser([CLIENT_REDIRECT]);
    const callbackUrl = await fromProviderToCallback(set, atCallback, before.clientId);
    const load = startLoad(set.mcpUrl, before.tokens.access_token, 4);
    await load.until(30);
    const stoppedAt = Date.now();
    await set.redis.stop();

    // Every surface answers a clear 503 with Retry-After: the pages in HTML, the OAuth endpoints and /mcp in JSON.
    for (let i = 0; i < 3; i++) {
      const mcp = await callWhoami(direct(i, '/mcp'), before.tokens.access_token);
      expect(mcp).toMatchObject({ status: 503 });
      expect(Number(mcp.retryAfter)).toBeGreaterThan(0);
    }
    const refresh = await postForm(tokenUrl(), { grant_type: 'refresh_token', client_id: before.clientId, refresh_token: before.tokens.refresh_token });
    await expectJson503(refresh);
    await expectJson503(await fetch(`${set.proxy.origin}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: [CLIENT_REDIRECT], application_type: 'native' }) }));
    await expectJson503(await postForm(`${set.proxy.origin}/oauth/revoke`, { client_id: before.clientId, token: before.tokens.access_token }));
    const page = await fetch(`${set.proxy.origin}/oauth/authorize?response_type=code&client_id=${encodeURIComponent(before.clientId)}&redirect_uri=${encodeURIComponent(CLIENT_REDIRECT)}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&state=s`);
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await page.text()).toContain('Try again shortly');
    for (const step of [await atConsent.submit(consentPage, 'approve'), await atCallback.open(callbackUrl)]) {
      expect(step).toMatchObject({ kind: 'page', status: 503 });
      if (step.kind === 'page') expect(Number(step.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    await expectJson503(await fetch(`${set.proxy.origin}/oauth/jwks`));

    await set.redis.restart();
    // Each replica reconnects on its own (backoff up to 2 s): recovered once all three answer.
    for (let i = 0; i < 3; i++) await until(`replica ${i} accepting the token issued before the outage`, async () => (await callWhoami(direct(i, '/mcp'), before.tokens.access_token)).status === 200);
    const recoveredAt = Date.now();
    await load.until(load.count() + 30);
    const results = await load.stop();

    const outside = results.filter((r) => r.endedAt < stoppedAt || r.startedAt > recoveredAt);
    const inside = results.filter((r) => !outside.includes(r));
    const fivexx = (list: typeof results) => list.filter((r) => r.status >= 500);
    console.log(`replicas: load ${results.length} tools/call, ${fivexx(inside).length} 5xx during the ${recoveredAt - stoppedAt} ms outage (all 503: ${fivexx(inside).every((r) => r.status === 503)}), ${fivexx(outside).length} 5xx outside it`);
    expect(fivexx(outside)).toEqual([]);
    expect(fivexx(inside).every((r) => r.status === 503 && r.retryAfter !== null)).toBe(true);
    expect(results.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);

    // Nothing committed was lost: the token, the refresh token and the client from before the outage still work.
    expect(await callWhoami(set.mcpUrl, before.tokens.access_token)).toMatchObject({ status: 200, subject: STAND_IN_FACTS.subject });
    const after = await postForm(tokenUrl(), { grant_type: 'refresh_token', client_id: before.clientId, refresh_token: before.tokens.refresh_token });
    expect(after.status).toBe(200);
    const again = await redeem(tokenUrl(), before.clientId, await obtainCode(set, before.clientId));
    expect(again.status).toBe(200);
  });

  it('costs the client one retry at most when a replica dies mid-flow', async () => {
    const clientId = await registerClient(set.proxy.origin);
    const browser = new TestBrowser([CLIENT_REDIRECT]);
    const { verifier, challenge } = pkcePair();
    const consent = await browser.open(authorizeUrl(set, clientId, challenge));
    expect(consent).toMatchObject({ kind: 'page', status: 200 });
    // The replica the consent form would reach dies between the page and the click.
    const victim = set.proxy.peekNext();
    await set.replicas[victim]!.close();
    let step = await browser.submit(consent, 'approve');
    let failures = 0;
    if (step.kind === 'page' && step.status === 502) {
      failures++;
      step = await browser.submit(consent, 'approve'); // the client (or person) tries again
    }
    expect(step.kind).toBe('client');
    if (step.kind !== 'client') return;
    const res = await redeem(tokenUrl(), clientId, { code: step.params.get('code') ?? '', verifier });
    if (res.status >= 500) failures++;
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as Tokens;
    for (let i = 0; i < 4; i++) expect((await callWhoami(set.mcpUrl, tokens.access_token)).status).toBe(200);
    expect(failures).toBeLessThanOrEqual(1);
    expect(set.proxy.down.has(victim)).toBe(true);
  });
});

async function expectJson503(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
}
