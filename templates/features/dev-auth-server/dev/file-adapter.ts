/**
 * Storage for the development authorization server: an oidc-provider adapter kept in memory and,
 * when a data folder is given, mirrored to `<dataDir>/store.json` so that restarting `npm run dev`
 * keeps registered clients, grants, sessions and refresh tokens. Development only: one process,
 * whole-file writes (temp file + rename), no locking.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Models worth keeping across restarts; codes, interactions and the like stay in memory. */
const DURABLE_MODELS = new Set(['Client', 'Grant', 'Session', 'RefreshToken', 'RegistrationAccessToken']);
/** Models that belong to a grant and go when it is revoked (as in oidc-provider's memory adapter). */
const GRANT_MEMBERS = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode']);
const modelOf = (key: string): string => key.slice(0, key.indexOf(':'));

interface Entry {
  payload: AdapterPayload;
  /** Epoch seconds; absent = no expiry. */
  expiresAt?: number;
}

interface StoreFile {
  version: 1;
  entries: Record<string, Entry>;
}

const now = (): number => Math.floor(Date.now() / 1000);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Creates the folder (mode 700) with a `.gitignore` that keeps everything in it out of git. */
export async function ensureDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(join(dataDir, '.gitignore'), '# development secrets: never commit\n*\n', { flag: 'wx' }).catch(
    (error: unknown) => {
      if (!(isRecord(error) && error.code === 'EEXIST')) throw error;
    },
  );
}

/** Reads a JSON file; `undefined` when it does not exist. */
export async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    if (isRecord(error) && error.code === 'ENOENT') return undefined;
    throw new Error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Writes JSON atomically: a temp file in the same folder (mode 600), then rename over the target. */
export async function writeJsonFileAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

export class DevStore {
  readonly #entries = new Map<string, Entry>();
  readonly #file: string | undefined;
  #dirty = false;
  #flushing: Promise<void> = Promise.resolve();

  private constructor(file: string | undefined) {
    this.#file = file;
  }

  /** In memory only (`dataDir` omitted), or loaded from and saved to `<dataDir>/store.json`. */
  static async open(dataDir?: string): Promise<DevStore> {
    if (dataDir === undefined) return new DevStore(undefined);
    const store = new DevStore(join(dataDir, 'store.json'));
    const saved = await readJsonFile(join(dataDir, 'store.json'));
    if (isRecord(saved) && saved.version === 1 && isRecord(saved.entries)) {
      for (const [key, entry] of Object.entries(saved.entries)) {
        if (!isRecord(entry) || !isRecord(entry.payload)) continue;
        const expiresAt = typeof entry.expiresAt === 'number' ? entry.expiresAt : undefined;
        if (expiresAt !== undefined && expiresAt <= now()) continue;
        store.#entries.set(key, { payload: entry.payload as AdapterPayload, ...(expiresAt === undefined ? {} : { expiresAt }) });
      }
    }
    return store;
  }

  /** The adapter factory oidc-provider calls once per model name. */
  adapterFor = (model: string): Adapter => {
    const key = (id: string): string => `${model}:${id}`;
    const find = (predicate: (payload: AdapterPayload) => boolean): AdapterPayload | undefined => {
      for (const [k, entry] of this.#entries) {
        if (k.startsWith(`${model}:`) && this.#live(k, entry) && predicate(entry.payload)) return entry.payload;
      }
      return undefined;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        this.#entries.set(key(id), { payload, ...(expiresIn ? { expiresAt: now() + expiresIn } : {}) });
        await this.#changed(model);
      },
      find: async (id) => {
        const entry = this.#entries.get(key(id));
        return entry && this.#live(key(id), entry) ? entry.payload : undefined;
      },
      findByUid: async (uid) => find((payload) => payload.uid === uid),
      findByUserCode: async (userCode) => find((payload) => payload.userCode === userCode),
      consume: async (id) => {
        const entry = this.#entries.get(key(id));
        if (entry) {
          entry.payload.consumed = now();
          await this.#changed(model);
        }
      },
      destroy: async (id) => {
        if (this.#entries.delete(key(id))) await this.#changed(model);
      },
      revokeByGrantId: async (grantId) => {
        let durable = false;
        for (const [k, entry] of this.#entries) {
          if (entry.payload.grantId === grantId && GRANT_MEMBERS.has(modelOf(k))) {
            this.#entries.delete(k);
            durable ||= DURABLE_MODELS.has(modelOf(k));
          }
        }
        if (durable) await this.#changed('RefreshToken');
      },
    };
  };

  /** Waits for pending writes. */
  async flush(): Promise<void> {
    await this.#flushing;
  }

  #live(key: string, entry: Entry): boolean {
    if (entry.expiresAt === undefined || entry.expiresAt > now()) return true;
    this.#entries.delete(key);
    return false;
  }

  /** Saves the durable entries; concurrent changes share one queued write. */
  #changed(model: string): Promise<void> {
    const file = this.#file;
    if (file === undefined || !DURABLE_MODELS.has(model)) return Promise.resolve();
    if (!this.#dirty) {
      this.#dirty = true;
      this.#flushing = this.#flushing.then(async () => {
        this.#dirty = false;
        const entries: Record<string, Entry> = {};
        for (const [k, entry] of this.#entries) {
          if (DURABLE_MODELS.has(modelOf(k)) && this.#live(k, entry)) entries[k] = entry;
        }
        const snapshot: StoreFile = { version: 1, entries };
        await writeJsonFileAtomic(file, snapshot).catch((error: unknown) => {
          console.error(`dev auth server: could not save ${file}:`, error);
        });
      });
    }
    return this.#flushing;
  }
}
