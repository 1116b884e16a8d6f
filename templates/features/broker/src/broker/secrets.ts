import type { BrokerSecrets } from './contracts.js';
import { fromBase64Url, toBase64Url } from './store.js';

/** AUTH_BROKER_SECRET must carry at least this many random bytes (256 bits). */
export const MIN_SECRET_BYTES = 32;

const GENERATE = `node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`;
const IV_BYTES = 12; // 96-bit IV: the size AES-GCM is defined for (NIST SP 800-38D)
/** Sealed boxes start with a version tag, so a later key or format can be told apart. */
const BOX_PREFIX = 'v1.';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Derives the broker's keys from AUTH_BROKER_SECRET with HKDF-SHA-256, one label per use, so the sealing key and
 * the signing key are unrelated even though they come from one secret. WebCrypto only (runs on Workers, Deno, Bun).
 *
 * @example
 * const secrets = await deriveSecrets(process.env.AUTH_BROKER_SECRET ?? '');
 * const box = await secrets.seal(refreshToken, `grant:${grantId}`);
 */
export async function deriveSecrets(secret: string): Promise<BrokerSecrets> {
  const material = fromBase64Url(secret.trim());
  if (!material || material.length < MIN_SECRET_BYTES) {
    const found = material ? `${material.length} bytes` : 'not base64url';
    throw new Error(`AUTH_BROKER_SECRET must be the base64url encoding of at least ${MIN_SECRET_BYTES} random bytes (found: ${secret ? found : 'empty'}); generate one with: ${GENERATE}`);
  }
  const root = await crypto.subtle.importKey('raw', material, 'HKDF', false, ['deriveKey']);
  const hkdf = (label: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(`mcp-auth-broker ${label}`) });
  const sealingKey = await crypto.subtle.deriveKey(hkdf('seal v1'), root, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const signingKey = await crypto.subtle.deriveKey(hkdf('sign v1'), root, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign', 'verify']);

  return {
    async seal(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      // The context is authenticated (not encrypted): a box moved to another record no longer opens.
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, sealingKey, encoder.encode(plaintext));
      return `${BOX_PREFIX}${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
    },
    async open(box, context) {
      if (!box.startsWith(BOX_PREFIX)) return undefined;
      const [ivText, sealedText, extra] = box.slice(BOX_PREFIX.length).split('.');
      const iv = ivText === undefined ? undefined : fromBase64Url(ivText);
      const sealed = sealedText === undefined ? undefined : fromBase64Url(sealedText);
      if (!iv || iv.length !== IV_BYTES || !sealed || extra !== undefined) return undefined;
      try {
        const plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, sealingKey, sealed);
        return decoder.decode(plaintext);
      } catch {
        return undefined; // wrong secret, wrong context or tampered: all the same to the caller
      }
    },
    async sign(value) {
      return toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', signingKey, encoder.encode(value))));
    },
    async verify(value, signature) {
      const bytes = fromBase64Url(signature);
      if (!bytes) return false;
      // WebCrypto's HMAC verify compares in constant time (no early exit on the first differing byte).
      return crypto.subtle.verify('HMAC', signingKey, bytes, encoder.encode(value));
    },
  };
}
