/**
 * Keys of the development authorization server: the access-token signing key (EC P-256, ES256) and the
 * cookie-signing keys. Created once; with a data folder they are saved there (mode 600) and reused, so
 * tokens and browser sessions survive restarts.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { JWK } from 'oidc-provider';
import { readJsonFile, writeJsonFileAtomic } from './file-adapter.js';

export const SIGNING_ALG = 'ES256';

function newSigningKey(): JWK {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  // kid = RFC 7638 thumbprint of the public key.
  const kid = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
  return { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' } as JWK;
}

/** Loads `<dataDir>/<name>` if it holds a valid value; otherwise creates one (and saves it when there is a data folder). */
async function persisted<T>(dataDir: string | undefined, name: string, valid: (v: unknown) => v is T, create: () => T): Promise<T> {
  if (dataDir === undefined) return create();
  const file = join(dataDir, name);
  const saved = await readJsonFile(file);
  if (valid(saved)) return saved;
  if (saved !== undefined) throw new Error(`${file} is not in the expected format; delete it to start over.`);
  const value = create();
  await writeJsonFileAtomic(file, value);
  return value;
}

const isJwks = (v: unknown): v is { keys: JWK[] } => {
  const keys = typeof v === 'object' && v !== null ? (v as { keys?: unknown }).keys : undefined;
  return Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'object' && k !== null && 'kid' in k && 'd' in k);
};

const isKeyList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((k) => typeof k === 'string' && k.length >= 32);

/** The private signing JWKS (`jwks.json`). */
export const loadSigningKeys = (dataDir?: string): Promise<{ keys: JWK[] }> =>
  persisted(dataDir, 'jwks.json', isJwks, () => ({ keys: [newSigningKey()] }));

/** Cookie-signing keys (`cookie-keys.json`). */
export const loadCookieKeys = (dataDir?: string): Promise<string[]> =>
  persisted(dataDir, 'cookie-keys.json', isKeyList, () => [randomBytes(32).toString('base64url')]);
