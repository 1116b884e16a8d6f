import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/broker/contracts.js';
import { createRedisClient } from '../../src/broker/redis-client.js';
import { openStore } from '../../src/broker/store-from-config.js';
import { redisServerPath, startRedis, type RunningRedis } from '../helpers/redis-server.js';

const now = () => Math.floor(Date.now() / 1000);
const log = () => {};

describe('openStore', () => {
  it('keeps the state in the file when REDIS_URL is unset or empty', async () => {
    for (const redisUrl of [undefined, '', '  ']) {
      const stateFile = join(mkdtempSync(join(tmpdir(), 'open-store-')), 'state.json');
      const store = await openStore({ ...(redisUrl !== undefined ? { redisUrl } : {}), stateFile, now, log });
      await store.set('k', 'v', 60);
      await store.close();
      expect(existsSync(stateFile)).toBe(true);
      const reopened = await openStore({ stateFile, now, log });
      expect(await reopened.get('k')).toBe('v');
      await reopened.close();
    }
  });

  it('stops with StoreUnavailableError when REDIS_URL names a Redis that is not there (no silent fallback to the file)', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'open-store-')), 'state.json');
    await expect(openStore({ redisUrl: 'redis://127.0.0.1:1', stateFile, now, log })).rejects.toThrow(StoreUnavailableError);
    expect(existsSync(stateFile)).toBe(false);
  });

  describe.skipIf(redisServerPath ? false : 'redis-server is not installed (apt-get install redis-server, as .ci/run does)')('with REDIS_URL', () => {
    let redis: RunningRedis;
    beforeAll(async () => void (redis = await startRedis()), 30_000);
    afterAll(() => redis?.stop());

    it('keeps the state in Redis, not in the file', async () => {
      const stateFile = join(mkdtempSync(join(tmpdir(), 'open-store-')), 'state.json');
      const store = await openStore({ redisUrl: redis.url, stateFile, now, log });
      await store.set('k', 'v', 60);
      await store.close();
      expect(existsSync(stateFile)).toBe(false);
      const raw = createRedisClient({ url: redis.url, log });
      expect(await raw.command('GET', 'mcp-broker:k')).toBe('"v"');
      await raw.close();
    });
  });
});
