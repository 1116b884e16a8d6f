import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BrokerClock, BrokerStore } from './contracts.js';

export interface FileStoreOptions {
  /** The JSON file holding the state (AUTH_BROKER_STATE_FILE); absent: memory only (tests). */
  path?: string;
  /** Seconds since the epoch. */
  now: BrokerClock;
}

interface Entry {
  /** The JSON value. */
  v: unknown;
  /** Expiry, seconds since the epoch. */
  e: number;
}

interface StateFile {
  version: 1;
  entries: Record<string, Entry>;
}

/**
 * The broker's state for a single process: a map in memory, written to a JSON file after every change (temp file
 * then rename, so a crash never leaves half a file; mode 0600, the tokens' hashes and sealed secrets are in it).
 * Every operation runs synchronously on the map, so `take`, `add` and `increment` are atomic within the process;
 * writes are queued one after the other and collapsed when several changes wait for the same write.
 */
export async function createFileStore(options: FileStoreOptions): Promise<BrokerStore> {
  const { path, now } = options;
  const entries = path ? await load(path, now()) : new Map<string, Entry>();
  let written: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;

  /** Resolves once a write that includes every change made so far is on disk. */
  function persist(): Promise<void> {
    if (!path) return Promise.resolve();
    // A write queued but not started yet will snapshot the map when it starts: it includes this change too.
    queued ??= written.then(() => {
      queued = undefined;
      return save(path, entries, now());
    });
    // A failed write fails its callers, never the chain: the next change tries again with the whole map.
    written = queued.catch(() => undefined);
    return queued;
  }

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.e <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function put(key: string, value: unknown, ttlSeconds: number): void {
    if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new TypeError(`store: ttlSeconds must be a positive number (key ${kindOf(key)})`);
    entries.set(key, { v: cloneJson(value), e: now() + ttlSeconds });
  }

  return {
    async get<T>(key: string) {
      const entry = live(key);
      return entry ? (cloneJson(entry.v) as T) : undefined;
    },
    async set(key, value, ttlSeconds) {
      put(key, value, ttlSeconds);
      await persist();
    },
    async add(key, value, ttlSeconds) {
      if (live(key)) return false;
      put(key, value, ttlSeconds);
      await persist();
      return true;
    },
    async take<T>(key: string) {
      const entry = live(key);
      if (!entry) return undefined;
      entries.delete(key);
      await persist();
      return entry.v as T;
    },
    async delete(key) {
      if (!entries.delete(key)) return;
      await persist();
    },
    async increment(key, ttlSeconds) {
      const entry = live(key);
      const count = typeof entry?.v === 'number' ? entry.v + 1 : 1;
      if (entry) entry.v = count;
      else put(key, count, ttlSeconds);
      await persist();
      return count;
    },
    /** Waits for the last write; the map stays usable (nothing to release for a file). */
    async close() {
      await written;
    },
  };
}

async function load(path: string, nowSeconds: number): Promise<Map<string, Entry>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Error(`broker state file ${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const state = parseState(text);
  // Never replaced silently: it holds the signing keys and every grant; overwriting it would sign everyone out.
  if (!state) throw new Error(`broker state file ${path} is corrupt (not the JSON this server writes); move it aside to start with empty state (every user signs in again), or restore a backup`);
  const entries = new Map<string, Entry>();
  for (const [key, entry] of Object.entries(state.entries)) if (entry.e > nowSeconds) entries.set(key, entry);
  return entries;
}

function parseState(text: string): StateFile | undefined {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof state !== 'object' || state === null) return undefined;
  const { version, entries } = state as Partial<StateFile>;
  if (version !== 1 || typeof entries !== 'object' || entries === null || Array.isArray(entries)) return undefined;
  const valid = Object.values(entries).every((entry) => typeof entry === 'object' && entry !== null && 'v' in entry && typeof entry.e === 'number');
  return valid ? (state as StateFile) : undefined;
}

async function save(path: string, entries: Map<string, Entry>, nowSeconds: number): Promise<void> {
  const state: StateFile = { version: 1, entries: {} };
  for (const [key, entry] of entries) {
    if (entry.e > nowSeconds) state.entries[key] = entry;
    else entries.delete(key); // swept while we are at it
  }
  const temporary = `${path}.${process.pid}.${crypto.randomUUID()}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(temporary, JSON.stringify(state), { mode: 0o600, flag: 'wx' });
    await chmod(temporary, 0o600); // the umask may have narrowed the mode; never wider than 0600
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined); // nothing to clean up when the folder is missing
    throw new Error(`broker state file ${path} cannot be written: ${(error as Error).message}`, { cause: error });
  }
}

function cloneJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** The kind of a key (`grant`, `code`…), safe to log: never the hash or id after it. */
function kindOf(key: string): string {
  return key.split(':', 1)[0] ?? key;
}
