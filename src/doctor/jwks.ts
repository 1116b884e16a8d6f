/**
 * Just enough JOSE for `doctor` to check a pasted token's signature against the provider's JWKS with node:crypto
 * (the CLI ships without runtime dependencies). Pure apart from the crypto calls.
 */
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface Jwk {
  kty?: string;
  kid?: string;
  alg?: string;
  use?: string;
  crv?: string;
  [key: string]: unknown;
}

/** The algorithm a key is for: its `alg`, else what its type and curve imply (RSA keys may also be PS*). */
export function algorithmsOfKey(jwk: Jwk): string[] {
  if (typeof jwk.alg === 'string') return [jwk.alg];
  if (jwk.kty === 'RSA') return ['RS256', 'PS256'];
  if (jwk.kty === 'EC') return jwk.crv === 'P-384' ? ['ES384'] : jwk.crv === 'P-521' ? ['ES512'] : ['ES256'];
  if (jwk.kty === 'OKP') return ['EdDSA'];
  if (jwk.kty === 'oct') return ['HS256'];
  return [];
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** Verifies a compact JWS signature with one JWK; unsupported algorithms or malformed keys are `false`. */
export function verifySignature(token: string, alg: string, jwk: Jwk): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || signature === undefined) return false;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk as never, format: 'jwk' });
  } catch {
    return false;
  }
  const data = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, 'base64url');
  const bits = alg.slice(2);
  try {
    if (/^RS(256|384|512)$/.test(alg)) return verify(HASH[bits]!, data, key, sig);
    if (/^PS(256|384|512)$/.test(alg)) {
      return verify(HASH[bits]!, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 }, sig);
    }
    if (/^ES(256|384|512)$/.test(alg)) return verify(HASH[bits]!, data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    if (alg === 'EdDSA' || alg === 'Ed25519') return verify(null, data, key, sig);
  } catch {
    return false;
  }
  return false;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Decodes a compact JWT without verifying it; `undefined` when it is not one (an opaque token). */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object') return undefined;
    return { header: header as Record<string, unknown>, payload: payload as Record<string, unknown> };
  } catch {
    return undefined;
  }
}
