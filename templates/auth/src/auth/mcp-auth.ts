import type { AuthorizationServerMetadata, OAuthProtectedResourceMetadata, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { authenticateRequest, type BearerAuthOptions, type BearerAuthResult } from './bearer-auth.js';
import type { ServerType } from './discovery.js';
import { buildResourceMetadata, resourceMetadataLocations } from './resource-metadata.js';
import { createServerConfigCache } from './server-config-cache.js';
import { createJwtVerifier, type TokenRules } from './token-verifier.js';
import { keySetGeneration } from './key-set.js';
import { cacheVerifiedTokens } from './token-cache.js';

export interface McpAuthOptions {
  /** The provider's issuer, exactly as it writes it. */
  issuer: string;
  /** Which metadata document the provider publishes first. */
  type: ServerType;
  /** The public URL of the MCP endpoint: the RFC 9728 `resource`. */
  resource: URL;
  /** The `aud` value tokens must carry (default: the resource URL). */
  audience?: string;
  /** Every scope the tools need: advertised in the metadata and in every 401 challenge. */
  scopes: readonly string[];
  /** Where this provider puts scopes and the client id, and which algorithms it signs with. */
  rules: TokenRules;
  /** Replace the token verifier (for example RFC 7662 introspection for opaque tokens). */
  verifier?: OAuthTokenVerifier;
  fetch?: typeof fetch;
}

/** Everything the HTTP layer needs to act as an OAuth 2.1 resource server. Framework-free. */
export interface McpAuth {
  readonly resource: URL;
  readonly resourceMetadata: OAuthProtectedResourceMetadata;
  /** Absolute URL of the metadata, as put in challenges. */
  readonly resourceMetadataUrl: string;
  /** Paths to serve the metadata at (path form and root form). */
  readonly resourceMetadataPaths: readonly string[];
  readonly verifier: OAuthTokenVerifier;
  /** The provider's own metadata, for the optional `/.well-known/oauth-authorization-server` mirror. */
  authorizationServerMetadata(): Promise<AuthorizationServerMetadata>;
  /** Checks an Authorization header value; see `authenticateRequest`. */
  authenticate(authorization: string | readonly string[] | null | undefined, options?: BearerAuthOptions): Promise<BearerAuthResult>;
}

/**
 * Creates the resource-server side of MCP authorization: the seed's `new MCPAuth({ server: await fetchServerConfig(…) })`
 * in its current form. Options are checked now, discovery happens on first use and recovers from outages by itself.
 *
 * @example
 * const mcpAuth = createMcpAuth({ issuer, type: 'oidc', resource: new URL('http://localhost:3000/mcp'), scopes: ['read'], rules });
 * const result = await mcpAuth.authenticate(request.headers.get('authorization'), { requiredScopes: ['read'] });
 */
export function createMcpAuth(options: McpAuthOptions): McpAuth {
  const { issuer, resource, scopes } = options;
  const server = createServerConfigCache(issuer, { type: options.type, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const uncached = options.verifier ?? createJwtVerifier({ issuer, audience: options.audience ?? resource.href, server, rules: options.rules });
  const verifier = cacheVerifiedTokens(uncached, { keySetVersion: keySetGeneration });
  const { url: resourceMetadataUrl, paths: resourceMetadataPaths } = resourceMetadataLocations(resource);
  const challenge = { resourceMetadataUrl, scopes };
  return {
    resource,
    resourceMetadata: buildResourceMetadata({ resource, authorizationServers: [issuer], scopes }),
    resourceMetadataUrl,
    resourceMetadataPaths,
    verifier,
    authorizationServerMetadata: async () => (await server.get()).metadata,
    authenticate: (authorization, bearerOptions) => authenticateRequest(authorization, verifier, challenge, bearerOptions),
  };
}
