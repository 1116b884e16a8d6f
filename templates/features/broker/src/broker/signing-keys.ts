import { calculateJwkThumbprint, errors, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK, type JWTVerifyGetKey } from 'jose';
import type { BrokerClock, BrokerLog, BrokerSecrets, BrokerStore } from './contracts.js';
import { storeKey, TTL } from './store.js';

export interface SigningKeys {
  /** The key that signs new access tokens (created on first use, rotated when due). */
  current(): Promise<{ kid: string; privateKey: CryptoKey }>;
  /** The public keys to publish: the current one, and retired ones until their last token expired. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** Rotates when the current key is older than `maxAgeSeconds`; true when this caller made the new key. */
  rotateIfDue(): Promise<boolean>;
  /** The public key for a `kid`, if it is one of ours and still published (no network: read from the store). */
  publicKey(kid: string): Promise<CryptoKey | undefined>;
}

export interface SigningKeysOptions {
  store: BrokerStore;
  secrets: BrokerSecrets;
  now: BrokerClock;
  /** A retired key stays published this long: the lifetime of the last token it signed. */
  accessTokenSeconds: number;
  /** Age at which the current key is replaced (default 90 days). */
  maxAgeSeconds?: number;
  log: BrokerLog;
}

interface StoredKey {
  kid: string;
  /** Seconds since the epoch. */
  createdAt: number;
  /** When a newer key replaced it; absent for the current key. */
  retiredAt?: number;
  publicJwk: JWK;
  /** The private JWK, sealed with the broker secret (context `signing-key:<kid>`). */
  sealedPrivateJwk: string;
}

interface KeyRecord {
  /** Newest first: `keys[0]` signs. */
  keys: StoredKey[];
}

export const DEFAULT_KEY_MAX_AGE_SECONDS = 90 * 24 * 3600;
const ALG = 'ES256';
/** Lock held while one replica rotates; expires on its own if that replica dies midway. */
const ROTATION_LOCK_SECONDS = 60;

/**
 * The broker's ES256 signing keys, kept in the store (record `signing-keys`, private keys sealed) so every replica
 * signs and verifies with the same set. Rotation by age: the new key signs at once, the old one stays published for
 * `accessTokenSeconds` (its last token's lifetime), then is dropped. Of replicas rotating at the same moment, only
 * the one that takes the store lock rotates; the others read its result.
 */
export async function createSigningKeys(options: SigningKeysOptions): Promise<SigningKeys> {
  const { store, secrets, now, accessTokenSeconds, log } = options;
  const maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_KEY_MAX_AGE_SECONDS;
  if (!(accessTokenSeconds > 0) || !(maxAgeSeconds > accessTokenSeconds)) throw new TypeError('signing keys: maxAgeSeconds must exceed accessTokenSeconds > 0');
  const privateKeys = new Map<string, Promise<CryptoKey>>();
  const publicKeys = new Map<string, Promise<CryptoKey>>();

  /** The record with every key whose last token has expired left out. */
  async function read(): Promise<KeyRecord> {
    let record = await store.get<KeyRecord>(storeKey.signingKeys);
    if (!record?.keys[0]) {
      // First start (or several replicas' first start): `add` lets exactly one key become the first.
      if (await store.add(storeKey.signingKeys, { keys: [await newKey()] }, TTL.signingKeys)) log('broker: created the first signing key');
      record = await store.get<KeyRecord>(storeKey.signingKeys);
      if (!record?.keys[0]) throw new Error('broker: the signing key record vanished from the store right after it was written');
    }
    return { keys: record.keys.filter((key) => key.retiredAt === undefined || key.retiredAt + accessTokenSeconds > now()) };
  }

  async function newKey(): Promise<StoredKey> {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), alg: ALG, use: 'sig' };
    const kid = await calculateJwkThumbprint(publicJwk);
    const sealedPrivateJwk = await secrets.seal(JSON.stringify(await exportJWK(privateKey)), `signing-key:${kid}`);
    return { kid, createdAt: now(), publicJwk: { ...publicJwk, kid }, sealedPrivateJwk };
  }

  function isDue(record: KeyRecord): boolean {
    return record.keys[0]!.createdAt + maxAgeSeconds <= now();
  }

  async function rotateIfDue(): Promise<boolean> {
    if (!isDue(await read())) return false;
    if ((await store.increment(storeKey.signingKeysRotationLock, ROTATION_LOCK_SECONDS)) !== 1) return false;
    // Read again under the lock: another replica may have rotated between our read and the lock.
    const record = await read();
    if (!isDue(record)) return false;
    const [current, ...older] = record.keys;
    const retired = { ...current!, retiredAt: now() };
    await store.set(storeKey.signingKeys, { keys: [await newKey(), retired, ...older] }, TTL.signingKeys);
    log(`broker: rotated the signing key (the old one ${retired.kid} stays published for ${accessTokenSeconds} s)`);
    return true;
  }

  async function openPrivateKey(key: StoredKey): Promise<CryptoKey> {
    const jwk = await secrets.open(key.sealedPrivateJwk, `signing-key:${key.kid}`);
    if (!jwk) throw new Error(`broker: signing key ${key.kid} cannot be opened: AUTH_BROKER_SECRET changed since it was sealed. Restore the old secret, or delete the broker state (every user signs in again)`);
    return (await importJWK(JSON.parse(jwk) as JWK, ALG)) as CryptoKey;
  }

  return {
    async current() {
      await rotateIfDue();
      const key = (await read()).keys[0]!;
      let privateKey = privateKeys.get(key.kid);
      if (!privateKey) {
        privateKey = openPrivateKey(key);
        privateKeys.set(key.kid, privateKey);
        privateKey.catch(() => privateKeys.delete(key.kid)); // retry next time rather than caching the failure
      }
      return { kid: key.kid, privateKey: await privateKey };
    },
    async jwks() {
      return { keys: (await read()).keys.map((key) => ({ ...key.publicJwk }) as JWK) };
    },
    rotateIfDue,
    async publicKey(kid) {
      const key = (await read()).keys.find((candidate) => candidate.kid === kid);
      if (!key) return undefined;
      let publicKey = publicKeys.get(kid);
      if (!publicKey) {
        publicKey = importJWK(key.publicJwk, ALG) as Promise<CryptoKey>;
        publicKeys.set(kid, publicKey);
      }
      return publicKey;
    },
  };
}

/** A jose key lookup over our own published keys: an unknown or dropped `kid` is refused, nothing is fetched. */
export function localKeyLookup(keys: SigningKeys): JWTVerifyGetKey {
  return async (header) => {
    const key = header.kid === undefined ? undefined : await keys.publicKey(header.kid);
    if (!key) throw new errors.JWKSNoMatchingKey('the token was not signed by one of this broker\'s current keys');
    return key;
  };
}
