/**
 * The Redis store against a real redis-server (Debian's package), started on a free port by each suite. Two stores on
 * one server are two connections: two replicas, as far as atomicity goes.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError, type BrokerStore } from '../../src/broker/contracts.js';
import { createRedisClient, type RedisClient } from '../../src/broker/redis-client.js';
import { createRedisStore, type RedisStoreOptions } from '../../src/broker/redis-store.js';
import { redisServerPath, startRedis, type RunningRedis } from '../helpers/redis-server.js';

const SKIP = redisServerPath ? false : 'redis-server is not installed (apt-get install redis-server, as .ci/run does)';
const now = () => Math.floor(Date.now() / 1000);
const silent = () => {};

describe.skipIf(SKIP)('the Redis store', { timeout: 30_000 }, () => {
  let redis: RunningRedis;
  let raw: RedisClient;
  const stores: BrokerStore[] = [];
  async function open(extra: Partial<RedisStoreOptions> = {}): Promise<BrokerStore> {
    const store = await createRedisStore({ url: redis.url, now, log: silent, ...extra });
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    redis = await startRedis();
    raw = createRedisClient({ url: redis.url, log: silent });
  }, 30_000);
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await raw?.close();
    await redis?.stop();
  });

  it('stores JSON values under the prefixed key, replaces them, and forgets deleted ones', async () => {
    const store = await open({ keyPrefix: 'test-a:' });
    const value = { nested: { list: [1, 'two', null, true] }, text: 'line\r\nbreak é🔑' };
    await store.set('grant:1', value, 60);
    expect(await store.get('grant:1')).toEqual(value);
    expect(await raw.command('GET', 'test-a:grant:1')).toBe(JSON.stringify(value));
    await store.set('grant:1', 'replaced', 60);
    expect(await store.get('grant:1')).toBe('replaced');
    await store.delete('grant:1');
    expect(await store.get('grant:1')).toBeUndefined();
    expect(await store.get('never-written')).toBeUndefined();
    await store.delete('never-written');
  });

  it('keeps stores with different prefixes apart (several servers on one database)', async () => {
    const [first, second] = [await open({ keyPrefix: 'one:' }), await open({ keyPrefix: 'two:' })];
    await first.set('k', 1, 60);
    expect(await second.get('k')).toBeUndefined();
    expect(await (await open()).get('k')).toBeUndefined();
    await (await open()).set('k', 'default', 60);
    expect(await raw.command('GET', 'mcp-broker:k')).toBe('"default"');
  });

  it('adds only when the key is absent, and leaves the existing value alone', async () => {
    const store = await open();
    expect(await store.add('pending:a', 'first', 60)).toBe(true);
    expect(await store.add('pending:a', 'second', 60)).toBe(false);
    expect(await store.get('pending:a')).toBe('first');
  });

  it('takes a value once: the second take finds nothing', async () => {
    const store = await open();
    await store.set('code:a', { grant: 'g' }, 60);
    expect(await store.take('code:a')).toEqual({ grant: 'g' });
    expect(await store.take('code:a')).toBeUndefined();
    expect(await store.get('code:a')).toBeUndefined();
  });

  it('counts up from 1', async () => {
    const store = await open();
    expect([await store.increment('cap:a', 60), await store.increment('cap:a', 60), await store.increment('cap:a', 60)]).toEqual([1, 2, 3]);
  });

  it('gives every write the TTL asked for (fractions rounded up), and increment only on its first call', async () => {
    const store = await open({ keyPrefix: 'ttl:' });
    const ttlOf = async (key: string) => Number(await raw.command('PTTL', `ttl:${key}`));
    await store.set('set', 1, 60);
    await store.add('add', 1, 120);
    await store.set('fraction', 1, 0.2);
    await store.increment('count', 30);
    await store.increment('count', 3000);
    expect(await ttlOf('set')).toBeGreaterThan(58_000);
    expect(await ttlOf('set')).toBeLessThanOrEqual(60_000);
    expect(await ttlOf('add')).toBeGreaterThan(118_000);
    expect(await ttlOf('fraction')).toBeGreaterThan(0);
    expect(await ttlOf('fraction')).toBeLessThanOrEqual(1000);
    expect(await ttlOf('count')).toBeLessThanOrEqual(30_000);
    expect(await ttlOf('count')).toBeGreaterThan(28_000);
    await store.set('set', 2, 600);
    expect(await ttlOf('set')).toBeGreaterThan(598_000);
  });

  it('forgets a value once its TTL has passed (Redis expires it; no sweeping)', async () => {
    const store = await open();
    await store.set('short', 'x', 1);
    await store.increment('short-count', 1);
    // Polls Redis's own clock: a 1 s TTL is gone within 3 s however loaded the machine is.
    await vi.waitFor(async () => {
      expect(await store.get('short')).toBeUndefined();
      expect(await store.get('short-count')).toBeUndefined();
    }, { timeout: 3000, interval: 100 });
    expect(await store.increment('short-count', 60)).toBe(1);
  });

  it('refuses a TTL that is not a positive number, and a value that is not JSON', async () => {
    const store = await open();
    for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) await expect(store.set('k', 1, ttl)).rejects.toThrow(TypeError);
    await expect(store.set('k', undefined, 60)).rejects.toThrow(/JSON/);
    await raw.command('SET', 'mcp-broker:foreign', 'not json');
    await expect(store.get('foreign')).rejects.toThrow(/not JSON/);
  });

  it('hands a value to exactly one of two replicas taking it at the same moment (50 times)', async () => {
    const [replicaA, replicaB] = [await open(), await open()];
    let winsA = 0;
    for (let round = 0; round < 50; round++) {
      await replicaA.set(`code:race-${round}`, { round }, 60);
      // Who sends first alternates, so each replica is sometimes the one that finds the value gone.
      const [a, b] = round % 2
        ? await Promise.all([replicaA.take(`code:race-${round}`), replicaB.take(`code:race-${round}`)])
        : (await Promise.all([replicaB.take(`code:race-${round}`), replicaA.take(`code:race-${round}`)])).reverse();
      expect([a, b].filter((taken) => taken !== undefined)).toEqual([{ round }]);
      if (a !== undefined) winsA += 1;
    }
    // Not asserted (scheduling decides), but shown: both replicas do win races.
    console.info(`take race: replica A won ${winsA} of 50, replica B ${50 - winsA}`);
  });

  it('gives each of many concurrent increments from two replicas its own count', async () => {
    const [replicaA, replicaB] = [await open(), await open()];
    const counts = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? replicaA : replicaB).increment('cap:race', 60)));
    expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const adds = await Promise.all([replicaA.add('lock:race', 'a', 60), replicaB.add('lock:race', 'b', 60)]);
    expect(adds.filter(Boolean)).toHaveLength(1);
  });

  it('selects the database named in the URL', async () => {
    const store = await open({ url: `${redis.url}/3` });
    await store.set('in-db-3', 1, 60);
    expect(await raw.command('EXISTS', 'mcp-broker:in-db-3')).toBe(0);
    const db3 = createRedisClient({ url: `${redis.url}/3`, log: silent });
    expect(await db3.command('EXISTS', 'mcp-broker:in-db-3')).toBe(1);
    await db3.close();
  });

  it('fails with StoreUnavailableError, not a hang, once closed', async () => {
    const store = await createRedisStore({ url: redis.url, now, log: silent });
    await store.close();
    await expect(store.get('k')).rejects.toThrow(StoreUnavailableError);
  });
});
