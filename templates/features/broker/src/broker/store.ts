/**
 * The store contract (re-exported so parts import one module) and the helpers every part uses with it: key names,
 * hashing of tokens before they become keys, and the lifetimes of the records.
 */
export { StoreUnavailableError, type BrokerClock, type BrokerStore } from './contracts.js';

/** Lifetimes in seconds. Every record expires: nothing is kept forever by accident. */
export const TTL = {
  /** Authorization codes: one minute is plenty for a client to redeem one (RFC 6749 §4.1.2 recommends ≤ 10 min). */
  code: 60,
  /** A redeemed code's hash, so a second redemption is recognised (and revokes the grant) for this long at least. */
  redeemedCode: 3600,
  /** Pending authorizations (provider `state`) and consent: the user has this long to sign in at the provider. */
  pending: 600,
  /** Signing keys "never" expire: a very long TTL keeps the rule that every key expires. */
  signingKeys: 10 * 365 * 24 * 3600,
} as const;

const encoder = new TextEncoder();

/** SHA-256 of a token, code or state, base64url: what the store keeps instead of the value itself. */
export async function hashKey(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(value));
  return toBase64Url(new Uint8Array(digest));
}

/** `count` random bytes, base64url: codes, refresh tokens, grant ids, states. */
export function randomToken(count = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(count)));
}

/** Base64url without padding, with web-standard `btoa` (no Buffer: the broker core also runs outside Node). */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Strict base64url decoding: undefined for anything that is not canonical base64url (no padding, no `+` or `/`). */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  // Non-canonical trailing bits (two encodings of the same bytes) are refused: one value, one spelling.
  return toBase64Url(bytes) === text ? bytes : undefined;
}

/** Store keys, namespaced `<kind>:<id>` so one store holds every kind of record without collisions. */
export const storeKey = {
  client: (clientId: string) => `client:${clientId}`,
  code: (codeHash: string) => `code:${codeHash}`,
  redeemedCode: (codeHash: string) => `code-used:${codeHash}`,
  grant: (grantId: string) => `grant:${grantId}`,
  refresh: (tokenHash: string) => `refresh:${tokenHash}`,
  usedRefresh: (tokenHash: string) => `refresh-used:${tokenHash}`,
  pending: (stateHash: string) => `pending:${stateHash}`,
  signingKeys: 'signing-keys',
  signingKeysRotationLock: 'lock:signing-keys-rotation',
} as const;
