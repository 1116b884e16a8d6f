/**
 * The broker when its parts fail: the store (Redis down: 503 + Retry-After; a bug: 500 without details) and the
 * provider before the sign-in starts (the client hears temporarily_unavailable, nothing is left pending). Also
 * checks that nothing is stored before consent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError, UpstreamError, type BrokerStore, type Upstream } from '../../src/broker/contracts.js';
import { createFileStore } from '../../src/broker/file-store.js';
import { createAttackTable } from '../helpers/attack-table.js';
import { authorizeUrl, pkcePair, postForm, register, startBrokerKit, TestBrowser, type BrokerKit } from '../helpers/broker-test-kit.js';
import { visibleText } from '../helpers/test-browser.js';

const table = createAttackTable('broker outages');
const REDIRECT = 'http://127.0.0.1:8976/callback';
let kit: BrokerKit;
let clientId: string;
let storeMode: 'up' | 'unavailable' | 'broken' = 'up';
let providerDown = false;
const written: string[] = [];

/** A store that records the keys written and fails on demand, as Redis down (or a bug) would. */
function failingStore(inner: BrokerStore): BrokerStore {
  const guard = <T>(run: () => Promise<T>): Promise<T> => {
    if (storeMode === 'unavailable') return Promise.reject(new StoreUnavailableError('connection refused'));
    if (storeMode === 'broken') return Promise.reject(new Error('secret internal detail'));
    return run();
  };
  return {
    get: (key) => guard(() => inner.get(key)),
    set: (key, value, ttl) => guard(() => (written.push(key), inner.set(key, value, ttl))),
    add: (key, value, ttl) => guard(() => (written.push(key), inner.add(key, value, ttl))),
    take: (key) => guard(() => inner.take(key)),
    delete: (key) => guard(() => inner.delete(key)),
    increment: (key, ttl) => guard(() => inner.increment(key, ttl)),
    close: () => inner.close(),
  };
}

/** The real upstream, except that starting a sign-in fails while `providerDown`. */
const flakyUpstream = (real: Upstream): Upstream => ({
  authorizationUrl: (request) => (providerDown ? Promise.reject(new UpstreamError('unavailable', 'connect ECONNREFUSED')) : real.authorizationUrl(request)),
  exchangeCode: (request) => real.exchangeCode(request),
  refresh: (token) => real.refresh(token),
  check: () => real.check(),
  get profileUrl() {
    return real.profileUrl;
  },
});

beforeAll(async () => {
  const store = failingStore(await createFileStore({ now: () => Math.floor(Date.now() / 1000) }));
  kit = await startBrokerKit({ store, wrapUpstream: flakyUpstream });
  clientId = (await register(kit, { client_name: 'Outage', redirect_uris: [REDIRECT], application_type: 'native' })).client_id;
}, 30_000);
afterAll(async () => {
  table.flush();
  await kit?.close();
});

function row(name: string, expected: string, got: string): void {
  table.add({ name, expected, got });
  expect(got, name).toBe(expected);
}

const authorize = () => authorizeUrl(kit, { clientId, redirectUri: REDIRECT, challenge: pkcePair().challenge });

describe('broker outages', () => {
  it('stores nothing before consent, and the pending authorization only after it', async () => {
    written.length = 0;
    const browser = new TestBrowser([REDIRECT]);
    const page = await browser.open(authorize());
    row('keys written before consent', 'none', written.filter((key) => key.startsWith('pending:')).join(' ') || 'none');
    await browser.submit(page, 'approve');
    expect(written.some((key) => key.startsWith('pending:'))).toBe(true);
  });

  it('sends the client temporarily_unavailable when the provider is down as the sign-in starts, leaving nothing pending', async () => {
    const browser = new TestBrowser([REDIRECT]);
    const page = await browser.open(authorize());
    written.length = 0;
    providerDown = true;
    try {
      const step = await browser.submit(page, 'approve');
      row('provider down when consent is given', 'redirect error=temporarily_unavailable', step.kind === 'client' ? `redirect error=${step.params.get('error')}` : `page ${step.status}`);
      expect(written.filter((key) => key.startsWith('pending:'))).toEqual([]);
    } finally {
      providerDown = false;
    }
  });

  it('answers 503 with Retry-After while the store is unreachable, and 500 without details on a bug', async () => {
    storeMode = 'unavailable';
    try {
      const token = await postForm(kit, '/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x', client_id: clientId });
      row('store down at the token endpoint', '503 temporarily_unavailable retry-after', `${token.status} ${((await token.json()) as { error: string }).error} ${token.headers.has('retry-after') ? 'retry-after' : ''}`);
      const page = await new TestBrowser([REDIRECT]).open(authorize());
      row('store down at the authorization endpoint', '503 retry-after', `${page.kind === 'page' ? page.status : 'redirect'} ${page.kind === 'page' && page.headers.has('retry-after') ? 'retry-after' : ''}`);
      storeMode = 'broken';
      const broken = await postForm(kit, '/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x', client_id: clientId });
      const body = await broken.text();
      row('unexpected error at the token endpoint', '500 no details', `${broken.status} ${body.includes('secret internal detail') || body.includes(' at ') ? 'details leaked' : 'no details'}`);
      const brokenPage = await new TestBrowser([REDIRECT]).open(authorize());
      const text = brokenPage.kind === 'page' ? visibleText(brokenPage.html) : '';
      row('unexpected error at the authorization endpoint', '500 no details', `${brokenPage.kind === 'page' ? brokenPage.status : 'redirect'} ${text.includes('secret internal detail') ? 'details leaked' : 'no details'}`);
      expect(kit.logs.some((line) => line.includes('secret internal detail'))).toBe(true);
    } finally {
      storeMode = 'up';
    }
  });
});
