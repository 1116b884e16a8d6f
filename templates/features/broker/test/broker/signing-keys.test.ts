import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { createFileStore } from '../../src/broker/file-store.js';
import { deriveSecrets } from '../../src/broker/secrets.js';
import { createSigningKeys } from '../../src/broker/signing-keys.js';
import { storeKey } from '../../src/broker/store.js';
import { testClock } from '../helpers/broker-core-setup.js';

const DAY = 86_400;

async function setup() {
  const clock = testClock();
  const store = await createFileStore({ now: clock.now });
  const secrets = await deriveSecrets(randomBytes(32).toString('base64url'));
  const make = () => createSigningKeys({ store, secrets, now: clock.now, accessTokenSeconds: 300, maxAgeSeconds: 90 * DAY, log: () => undefined });
  return { clock, store, secrets, make };
}

describe('the signing keys', () => {
  it('creates one ES256 key on first use, publishes its public half only, kid = thumbprint', async () => {
    const { make, store } = await setup();
    const keys = await make();
    const { kid } = await keys.current();
    const { keys: published } = await keys.jwks();
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid });
    expect(published[0]).not.toHaveProperty('d');
    expect(kid).toBe(await calculateJwkThumbprint(published[0]!));
    // The private key is sealed at rest: its `d` is nowhere in the stored record.
    expect(JSON.stringify(await store.get(storeKey.signingKeys))).not.toMatch(/"d":/);
  });

  it('gives every replica the same key, even when they start at once', async () => {
    const { make } = await setup();
    const [a, b] = await Promise.all([make(), make()]);
    const [ka, kb] = await Promise.all([a.current(), b.current()]);
    expect(ka.kid).toBe(kb.kid);
    expect((await a.jwks()).keys).toHaveLength(1);
  });

  it('rotates when due: the new key signs, the old stays published for one token lifetime, then is dropped', async () => {
    const { make, clock } = await setup();
    const keys = await make();
    const old = (await keys.current()).kid;
    clock.advance(90 * DAY - 1);
    expect(await keys.rotateIfDue()).toBe(false);
    clock.advance(1);
    const fresh = (await keys.current()).kid; // current() rotates lazily
    expect(fresh).not.toBe(old);
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([fresh, old]);
    expect(await keys.publicKey(old)).toBeDefined();
    clock.advance(299);
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([fresh, old]);
    clock.advance(1);
    expect((await keys.jwks()).keys.map((k) => k.kid)).toEqual([fresh]);
    expect(await keys.publicKey(old)).toBeUndefined();
  });

  it('makes exactly one new key when replicas rotate at the same moment', async () => {
    const { make, clock } = await setup();
    const replicas = await Promise.all([make(), make(), make()]);
    const old = (await replicas[0]!.current()).kid;
    clock.advance(90 * DAY);
    const rotated = await Promise.all(replicas.map((keys) => keys.rotateIfDue()));
    expect(rotated.filter(Boolean)).toHaveLength(1);
    const kids = (await replicas[1]!.jwks()).keys.map((k) => k.kid);
    expect(kids).toHaveLength(2);
    expect(kids[1]).toBe(old);
    const currents = await Promise.all(replicas.map(async (keys) => (await keys.current()).kid));
    expect(new Set(currents)).toEqual(new Set([kids[0]]));
  });

  it('refuses to start with keys sealed by another secret, saying which setting changed', async () => {
    const { make, store, clock } = await setup();
    await (await make()).current();
    const otherSecrets = await deriveSecrets(randomBytes(32).toString('base64url'));
    const other = await createSigningKeys({ store, secrets: otherSecrets, now: clock.now, accessTokenSeconds: 300, log: () => undefined });
    await expect(other.current()).rejects.toThrow(/AUTH_BROKER_SECRET changed/);
  });

  it('knows no kid it did not make', async () => {
    const keys = await (await setup()).make();
    await keys.current();
    expect(await keys.publicKey('someone-elses-kid')).toBeUndefined();
  });
});
