import type { BrokerClock, BrokerStore, UpstreamIdentity } from './contracts.js';
import { storeKey } from './store.js';

/**
 * What a grant is in the store: one user's consent for one client, written once at creation and never rewritten, so
 * a revocation (deleting it) can never be undone by a concurrent update. The provider's tokens, which do change,
 * live beside it under `upstream:<grantId>` (sealed, context `grant:<grantId>`).
 */
export interface GrantRecord {
  clientId: string;
  identity: UpstreamIdentity;
  scopes: string[];
  /** The resource (MCP server URL href) its access tokens are for. */
  resource: string;
  createdAt: number;
  /** Absolute end of the grant (seconds since the epoch): the user signs in again after it. */
  expiresAt: number;
}

/** An authorization code's record (under the SHA-256 of the code). */
export interface CodeRecord {
  grantId: string;
  clientId: string;
  redirectUri: string;
  /** PKCE S256 challenge: BASE64URL(SHA-256(code_verifier)). */
  codeChallenge: string;
  resource: string;
  scopes: string[];
}

/** A refresh token's record (under its SHA-256); one per grant at a time, replaced on every use. */
export interface RefreshRecord {
  grantId: string;
  clientId: string;
}

export const upstreamKey = (grantId: string) => `upstream:${grantId}`;

/** The live grant, or undefined when it expired or was revoked. */
export async function readGrant(store: BrokerStore, grantId: string, now: BrokerClock): Promise<GrantRecord | undefined> {
  const grant = await store.get<GrantRecord>(storeKey.grant(grantId));
  return grant && grant.expiresAt > now() ? grant : undefined;
}

/** Ends a grant: its access tokens are refused from the next request on (the verifier reads the grant every time). */
export async function deleteGrant(store: BrokerStore, grantId: string): Promise<void> {
  await store.delete(storeKey.grant(grantId));
  await store.delete(upstreamKey(grantId));
}
