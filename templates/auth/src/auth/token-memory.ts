import { hash } from 'node:crypto';

/** How much a `TokenMemory` keeps. */
export interface TokenMemoryOptions {
  /** Most entries kept; the least recently used one makes room (0 keeps nothing). */
  maxEntries: number;
  /** Clock in milliseconds. */
  now: () => number;
}

/**
 * What the auth core remembers about tokens it has seen: a bounded LRU keyed by the token's SHA-256 (raw tokens are
 * never kept), each entry served only until its own deadline, plus single-flight so that concurrent checks of one
 * new token share one verification. The verified-token cache keeps accepted tokens in one, the introspection
 * verifier its refusals in another, so a spray of garbage can evict nothing but garbage.
 */
export interface TokenMemory<V> {
  /** The key a token is remembered by: its SHA-256. Computed once per request and passed to the methods below. */
  keyOf(token: string): string;
  /** The value remembered under `key` while it is fresh (its deadline not reached and `isFresh` agrees), now most recently used; a stale one is forgotten. */
  get(key: string, isFresh?: (value: V) => boolean): V | undefined;
  /** Remembers `value` under `key` until `until` (epoch milliseconds), evicting the least recently used beyond the bound. */
  set(key: string, value: V, until: number): void;
  /** Runs `verify` for the token under `key`, or joins the run already under way for the same token. */
  once<T>(key: string, verify: () => Promise<T>): Promise<T>;
  readonly size: number;
  clear(): void;
}

/** @example const refusals = createTokenMemory<AuthError>({ maxEntries: 1000, now: () => Date.now() }); */
export function createTokenMemory<V>({ maxEntries, now }: TokenMemoryOptions): TokenMemory<V> {
  if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new TypeError('token memory: maxEntries must be a non-negative integer');
  const entries = new Map<string, { value: V; until: number }>();
  const pending = new Map<string, Promise<unknown>>();
  return {
    keyOf: (token) => hash('sha256', token, 'base64url'),
    get(key, isFresh) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.until <= now() || (isFresh && !isFresh(entry.value))) return undefined;
      entries.set(key, entry); // most recently used goes last
      return entry.value;
    },
    set(key, value, until) {
      entries.delete(key);
      entries.set(key, { value, until });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    once<T>(key: string, verify: () => Promise<T>): Promise<T> {
      const running = pending.get(key) as Promise<T> | undefined;
      if (running) return running;
      const run = verify().finally(() => pending.delete(key));
      pending.set(key, run);
      return run;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
