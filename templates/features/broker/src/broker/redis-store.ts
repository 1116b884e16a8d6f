/**
 * The broker's state in Redis (REDIS_URL), shared by every replica. Each operation is one Redis command or one Lua
 * script, so it is atomic across replicas: of two replicas redeeming the same code at the same moment, GETDEL gives
 * the value to exactly one. Expiry is Redis's own TTL, on Redis's clock: replicas whose clocks drift still agree on
 * what has expired, and nothing needs sweeping.
 */
import type { BrokerClock, BrokerLog, BrokerStore } from './contracts.js';
import { StoreUnavailableError } from './contracts.js';
import { createRedisClient, type RedisClient, type RedisClientOptions } from './redis-client.js';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host[:port][/db]`, `rediss://` for TLS. */
  url: string;
  /** Put before every key, so several servers can share one database (default `mcp-broker:`). */
  keyPrefix?: string;
  /**
   * Accepted so both stores take the same options, but not used: Redis expires keys on its own clock (see above).
   * Tests of expiry with a Redis store watch the TTL instead of moving a clock.
   */
  now?: BrokerClock;
  /** Extra trusted certificate(s) for `rediss://` (a private CA); NODE_EXTRA_CA_CERTS works as well. */
  ca?: string | Buffer;
  /** Connection tuning, for tests and unusual networks (see RedisClientOptions). */
  timeouts?: Pick<RedisClientOptions, 'connectTimeoutMs' | 'commandTimeoutMs' | 'maxBackoffMs'>;
  log: BrokerLog;
}

/** GETDEL (one step, one winner) appeared in Redis 6.2. */
const MIN_VERSION: readonly [number, number] = [6, 2];

/**
 * INCR, and the expiry only on the first increment, in one atomic script: a process dying between two separate
 * commands would otherwise leave a counter that never expires.
 */
const INCREMENT_SCRIPT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * Connects, checks the server is Redis >= 6.2, and returns the store. Rejects with StoreUnavailableError when Redis
 * cannot be reached or refuses the credentials, so a misconfigured replica stops at start-up with the reason.
 *
 * @example
 * const store = await createRedisStore({ url: process.env.REDIS_URL!, log: console.error });
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<BrokerStore> {
  const prefix = options.keyPrefix ?? 'mcp-broker:';
  const client = createRedisClient({ url: options.url, log: options.log, ...options.timeouts, ...(options.ca !== undefined ? { ca: options.ca } : {}) });
  try {
    await checkVersion(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  const keyOf = (key: string) => prefix + key;

  return {
    async get<T>(key: string): Promise<T | undefined> {
      return decode<T>(await client.command('GET', keyOf(key)), key);
    },
    async set(key, value, ttlSeconds) {
      await client.command('SET', keyOf(key), encode(value), 'EX', seconds(ttlSeconds));
    },
    async add(key, value, ttlSeconds) {
      return (await client.command('SET', keyOf(key), encode(value), 'NX', 'EX', seconds(ttlSeconds))) === 'OK';
    },
    async take<T>(key: string): Promise<T | undefined> {
      return decode<T>(await client.command('GETDEL', keyOf(key)), key);
    },
    async delete(key) {
      await client.command('DEL', keyOf(key));
    },
    async increment(key, ttlSeconds) {
      const count = await client.command('EVAL', INCREMENT_SCRIPT, 1, keyOf(key), seconds(ttlSeconds));
      if (typeof count !== 'number') throw new StoreUnavailableError(`Redis at ${client.display} answered INCR with ${typeof count}`);
      return count;
    },
    close: () => client.close(),
  };
}

async function checkVersion(client: RedisClient): Promise<void> {
  const info = await client.command('INFO', 'server');
  const match = typeof info === 'string' ? /^redis_version:(\d+)\.(\d+)/m.exec(info) : null;
  // Servers that hide their version (some managed offerings) are given the benefit of the doubt.
  if (!match) return;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
    throw new StoreUnavailableError(`Redis at ${client.display} is version ${major}.${minor}; the broker needs Redis ${MIN_VERSION.join('.')} or later (GETDEL)`);
  }
}

/** Redis takes whole seconds; a fraction is rounded up so nothing expires early, and never to 0 (an error). */
function seconds(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new TypeError(`store: ttlSeconds must be a positive number, got ${ttlSeconds}`);
  return Math.ceil(ttlSeconds);
}

function encode(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('store: the value must be JSON (undefined cannot be stored)');
  return json;
}

function decode<T>(reply: unknown, key: string): T | undefined {
  if (reply === null || reply === undefined) return undefined;
  if (typeof reply !== 'string') throw new StoreUnavailableError(`Redis answered a ${typeof reply} for a store key`);
  try {
    return JSON.parse(reply) as T;
  } catch (error) {
    // The key is the store's name for it (a kind and a hash), never a secret.
    throw new Error(`store: the value under ${JSON.stringify(key)} is not JSON (written by something else?)`, { cause: error });
  }
}
