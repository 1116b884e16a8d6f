import type { AuthorizationServerMetadata } from '@modelcontextprotocol/server';
import { DiscoveryError, requireSecureUrl, type AuthServerConfig } from './discovery.js';
import type { McpAuth, McpAuthOptions } from './mcp-auth.js';
import type { ServerConfigCache } from './server-config-cache.js';
import { createJwtVerifier } from './token-verifier.js';

/**
 * The escape hatch for providers without standard discovery (AUTH_METADATA_URL or AUTH_JWKS_URI, never both):
 * - `metadataUrl`: the provider's metadata document at a non-standard location, checked as discovery checks it
 *   (https or loopback http, its `issuer` equal to AUTH_ISSUER byte for byte);
 * - `jwksUri`: no metadata at all; tokens are checked against this JWKS and AUTH_ISSUER, and this server has no
 *   authorization server metadata to mirror (MCP clients must find the provider's endpoints some other way).
 */
export type ManualDiscovery = { metadataUrl: string; jwksUri?: undefined } | { jwksUri: string; metadataUrl?: undefined };

/** AUTH_METADATA_URL / AUTH_JWKS_URI as `config.ts` reads them: undefined when neither is set, else checked. */
export function readManualDiscovery(env: { AUTH_METADATA_URL?: string | undefined; AUTH_JWKS_URI?: string | undefined }): ManualDiscovery | undefined {
  const metadataUrl = env.AUTH_METADATA_URL?.trim() || undefined;
  const jwksUri = env.AUTH_JWKS_URI?.trim() || undefined;
  if (metadataUrl && jwksUri) {
    throw new DiscoveryError('set AUTH_METADATA_URL or AUTH_JWKS_URI, not both (set the other one empty to turn it off)', 'misconfigured');
  }
  if (metadataUrl) return { metadataUrl: checkedUrl(metadataUrl, 'AUTH_METADATA_URL', 'a network attacker could substitute the metadata and its signing keys') };
  if (jwksUri) return { jwksUri: checkedUrl(jwksUri, 'AUTH_JWKS_URI', 'a network attacker could substitute the signing keys and forge any token') };
  return undefined;
}

function checkedUrl(value: string, name: string, risk: string): string {
  const url = requireSecureUrl(value, name, risk);
  if (url.search || url.hash || url.username || url.password) {
    throw new DiscoveryError(`${name} must not have a query, a fragment or credentials (got ${JSON.stringify(value)})`, 'misconfigured');
  }
  return url.href;
}

export interface ManualServerConfigOptions {
  /** Per-request timeout in milliseconds (default 5000, as discovery). */
  timeoutMs?: number;
  /** How long a failure is remembered before the next attempt (default 5000, as discovery). */
  retryAfterMs?: number;
  fetch?: typeof fetch;
}

/**
 * The server configuration discovery would give (`fetchServerConfig`), from the given URL. Same checks: the URL is
 * https (or http on loopback), the document is JSON with an `issuer` equal to `issuer` byte for byte (RFC 8414 §3.3).
 * With a JWKS URI only, the configuration is the issuer and that URI, and nothing is fetched here (the key set
 * fetches the JWKS with its own policy, see key-set.ts).
 */
export async function fetchManualServerConfig(issuer: string, discovery: ManualDiscovery, options: ManualServerConfigOptions = {}): Promise<AuthServerConfig> {
  if (discovery.jwksUri !== undefined) {
    const jwksUri = requireSecureUrl(discovery.jwksUri, 'AUTH_JWKS_URI', 'a network attacker could substitute the signing keys and forge any token');
    // Only the members this server reads: no endpoints are known, so none are claimed.
    const metadata = { issuer, jwks_uri: jwksUri.href } as unknown as AuthorizationServerMetadata;
    return { issuer, metadata, metadataUrl: jwksUri.href };
  }
  const metadataUrl = requireSecureUrl(discovery.metadataUrl, 'AUTH_METADATA_URL', 'a network attacker could substitute the metadata and its signing keys').href;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(metadataUrl, {
      headers: { Accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (cause) {
    throw new DiscoveryError(`authorization server metadata at ${metadataUrl} (AUTH_METADATA_URL) is unreachable`, 'unreachable', { cause });
  }
  if (response.status === 404 || response.status === 405 || response.status === 400) {
    await response.body?.cancel();
    throw new DiscoveryError(`no authorization server metadata at ${metadataUrl} (AUTH_METADATA_URL answered ${response.status})`, 'misconfigured');
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DiscoveryError(`authorization server metadata at ${metadataUrl} answered ${response.status}`, 'unreachable');
  }
  const metadata = (await response.json().catch(() => undefined)) as AuthorizationServerMetadata | undefined;
  if (!metadata || typeof metadata !== 'object' || typeof metadata.issuer !== 'string') {
    throw new DiscoveryError(`${metadataUrl} is not an authorization server metadata document`, 'misconfigured');
  }
  if (metadata.issuer !== issuer) {
    throw new DiscoveryError(
      `issuer mismatch: AUTH_ISSUER is ${JSON.stringify(issuer)} but ${metadataUrl} (AUTH_METADATA_URL) says ${JSON.stringify(metadata.issuer)}; copy the provider's value exactly`,
      'misconfigured',
    );
  }
  return { issuer, metadata, metadataUrl };
}

/**
 * The discovery cache's policy (server-config-cache.ts) for the given URL: fetched lazily, shared by concurrent
 * callers, a failure remembered for `retryAfterMs` and then retried, a success kept for the life of the process.
 */
export function createManualServerConfigCache(issuer: string, discovery: ManualDiscovery, options: ManualServerConfigOptions = {}): ServerConfigCache {
  const retryAfterMs = options.retryAfterMs ?? 5000;
  let attempt: Promise<AuthServerConfig> | undefined;
  let failedAt: number | undefined;
  return {
    get() {
      if (attempt && failedAt !== undefined && Date.now() - failedAt >= retryAfterMs) {
        attempt = undefined;
        failedAt = undefined;
      }
      attempt ??= fetchManualServerConfig(issuer, discovery, options).catch((error: unknown) => {
        failedAt = Date.now();
        throw error;
      });
      return attempt;
    },
  };
}

/**
 * `createMcpAuth`, with the provider's configuration taken from AUTH_METADATA_URL or AUTH_JWKS_URI when one is set
 * (otherwise exactly `createMcpAuth`). The verifier (JWT, or the one passed in) and the metadata mirror both read it.
 */
export function withManualDiscovery(
  discovery: ManualDiscovery | undefined,
  createMcpAuth: (options: McpAuthOptions) => McpAuth,
  options: McpAuthOptions,
): McpAuth {
  if (discovery === undefined) return createMcpAuth(options);
  const server = createManualServerConfigCache(options.issuer, discovery, options.fetch ? { fetch: options.fetch } : {});
  const makeVerifier = options.verifier ?? createJwtVerifier;
  const mcpAuth = createMcpAuth({ ...options, verifier: (context) => makeVerifier({ ...context, server }) });
  const shim = options.metadataShim;
  return {
    ...mcpAuth,
    authorizationServerMetadata: async () => {
      const { metadata } = await server.get();
      return shim ? shim.transform(metadata, options.resource.origin) : metadata;
    },
  };
}
