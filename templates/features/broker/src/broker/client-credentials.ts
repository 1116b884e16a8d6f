/**
 * Client authentication helpers: secrets are stored only as their SHA-256 (`hashKey` in store.ts) and compared in
 * constant time; Basic credentials are decoded the RFC 6749 way.
 */

/** Equality whose running time does not depend on where the strings differ (compare hashes: equal lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    difference |= (a.charCodeAt(index) || 0) ^ (b.charCodeAt(index) || 0);
  }
  return difference === 0;
}

/**
 * `Authorization: Basic …` as RFC 6749 §2.3.1 defines it: base64 of `form-urlencoded(id):form-urlencoded(secret)`.
 * Undefined when the header is not Basic at all; throws when it is Basic but malformed.
 */
export function decodeBasicCredentials(header: string): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (!/^Basic(?: |$)/i.test(header)) return undefined;
  if (!match?.[1]) throw new Error('malformed Basic credentials');
  const decoded = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0)));
  const colon = decoded.indexOf(':');
  if (colon === -1) throw new Error('malformed Basic credentials');
  const formDecode = (part: string): string => decodeURIComponent(part.replace(/\+/g, ' '));
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}
