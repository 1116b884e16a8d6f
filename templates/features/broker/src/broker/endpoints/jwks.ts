/**
 * The broker's public signing keys (RFC 7517). The bearer gate verifies broker tokens with the local keys, not
 * through this document; it is published for clients and tools that check tokens themselves. A short cache keeps a
 * rotated-in key visible soon; the previous key stays listed until its tokens expire (signing-keys.ts).
 */
import type { SigningKeys } from '../signing-keys.js';

export async function jwksResponse(keys: SigningKeys): Promise<Response> {
  return Response.json(await keys.jwks(), { headers: { 'Cache-Control': 'public, max-age=300' } });
}
