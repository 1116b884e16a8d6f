/**
 * Where the broker keeps its state, from the configuration: Redis when REDIS_URL is set (several replicas share it),
 * otherwise a JSON file (AUTH_BROKER_STATE_FILE) for a single process, or memory alone when neither is given (tests).
 */
import type { BrokerClock, BrokerLog, BrokerStore } from './contracts.js';
import { createFileStore } from './file-store.js';
import { createRedisStore } from './redis-store.js';

export interface OpenStoreOptions {
  /** REDIS_URL: `redis://[user:password@]host[:port][/db]` or `rediss://…`; wins over `stateFile`. */
  redisUrl?: string;
  /** AUTH_BROKER_STATE_FILE; ignored when `redisUrl` is set. */
  stateFile?: string;
  now: BrokerClock;
  log: BrokerLog;
}

/** Rejects with StoreUnavailableError when Redis is configured but cannot be reached, with the reason. */
export async function openStore(options: OpenStoreOptions): Promise<BrokerStore> {
  // An empty REDIS_URL= line in .env means "not set", as it does for every other optional variable.
  const redisUrl = options.redisUrl?.trim();
  if (redisUrl) return createRedisStore({ url: redisUrl, now: options.now, log: options.log });
  return createFileStore({ ...(options.stateFile ? { path: options.stateFile } : {}), now: options.now });
}
