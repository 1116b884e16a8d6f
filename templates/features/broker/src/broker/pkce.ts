import { hashKey } from './store.js';

/** RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~]. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge is a SHA-256 digest in base64url without padding: exactly 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function isS256Challenge(challenge: string): boolean {
  return S256_CHALLENGE.test(challenge);
}

/** True when BASE64URL(SHA-256(verifier)) equals the challenge (S256 only: `plain` is never accepted). */
export async function checkPkce(verifier: string, challenge: string): Promise<boolean> {
  if (!VERIFIER.test(verifier) || !isS256Challenge(challenge)) return false;
  return constantTimeEqual(await hashKey(verifier), challenge);
}

/** Compares two strings without an early exit on the first difference. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
