import type { AuthorizationServerMetadata, OAuthProtectedResourceMetadata, OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { authenticateRequest, type AuthRequest, type BearerAuthOptions, type BearerAuthResult } from './bearer-auth.js';
import type { ServerType } from './discovery.js';
import { buildResourceMetadata, resourceMetadataLocations } from './resource-metadata.js';
import { createServerConfigCache, type ServerConfigCache } from './server-config-cache.js';
import type { TokenRules } from './token-claims.js';
import { createJwtVerifier } from './token-verifier.js';
import { keySetGeneration } from './key-set.js';
import { cacheVerifiedTokens } from './token-cache.js';
import { createSenderConstraintChecker, DPOP_ALGORITHMS } from './sender-constraint.js';

export interface McpAuthOptions {
  /** The provider's issuer, exactly as it writes it. */
  issuer: string;
  /** Which metadata document the provider publishes first. */
  type: ServerType;
  /** The public URL of the MCP endpoint: the RFC 9728 `resource`. */
  resource: URL;
  /**
   * The `aud` value(s) tokens may carry, comma-separated as in AUTH_AUDIENCE. The resource URL itself is always
   * accepted: a token whose audience is this server's own URL was issued for it.
   */
  audience?: string;
  /** Every scope the tools need: advertised in the metadata and in every 401 challenge. */
  scopes: readonly string[];
  /** Where this provider puts scopes and the client id, and which algorithms it signs with. */
  rules: TokenRules;
  /**
   * Builds the token verifier from what this server knows of the provider. Default: JWT access tokens checked
   * locally against the provider's JWKS. Projects for opaque tokens pass RFC 7662 introspection here.
   */
  verifier?: (context: VerifierContext) => OAuthTokenVerifier;
  /**
   * Serve a corrected copy of the provider's metadata and name this origin as the authorization server, for providers
   * whose metadata MCP clients refuse (src/auth/metadata-shim.ts in projects that have it).
   */
  metadataShim?: MetadataShim;
  /**
   * Milliseconds an accepted token is reused without verifying it again (AUTH_TOKEN_CACHE_SECONDS; default 60 000,
   * never past the token's `exp`, 0 turns the cache off). For opaque tokens it is the longest a token revoked at the
   * provider keeps working: the introspection verifier remembers no accepted token itself.
   */
  tokenCacheMaxAgeMs?: number;
  fetch?: typeof fetch;
}

/** What a token verifier is built from: the expected issuer and audiences, and the provider's discovered metadata. */
export interface VerifierContext {
  issuer: string;
  /** Every accepted `aud` value, the resource URL included. */
  audience: readonly string[];
  resource: URL;
  server: ServerConfigCache;
  rules: TokenRules;
  fetch?: typeof fetch;
}

/** A rewrite of the provider's metadata served from this origin, and where it is served. */
export interface MetadataShim {
  transform(metadata: AuthorizationServerMetadata, origin: string): AuthorizationServerMetadata;
  paths: readonly string[];
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
  /** The provider's metadata for the mirror: as published, or shimmed when `metadataShim` is on. */
  authorizationServerMetadata(): Promise<AuthorizationServerMetadata>;
  /** Where the mirror (or the shim) serves it. */
  readonly authorizationServerMetadataPaths: readonly string[];
  readonly metadataShim: boolean;
  /** Checks a request's credentials (Authorization, and DPoP proof with the method); see `authenticateRequest`. */
  authenticate(request: AuthRequest | AuthRequest['authorization'], options?: BearerAuthOptions): Promise<BearerAuthResult>;
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
  const audience = [...new Set([...(options.audience ?? '').split(',').map((value) => value.trim()).filter(Boolean), resource.href])];
  const context: VerifierContext = { issuer, audience, resource, server, rules: options.rules, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const uncached = options.verifier ? options.verifier(context) : createJwtVerifier(context);
  const shim = options.metadataShim;
  const verifier = cacheVerifiedTokens(uncached, { keySetVersion: keySetGeneration, maxAgeMs: options.tokenCacheMaxAgeMs });
  const { url: resourceMetadataUrl, paths: resourceMetadataPaths } = resourceMetadataLocations(resource);
  const challenge = { resourceMetadataUrl, scopes, dpopAlgorithms: DPOP_ALGORITHMS };
  const senderConstraint = createSenderConstraintChecker({ resource });
  return {
    resource,
    resourceMetadata: buildResourceMetadata({ resource, authorizationServers: [shim ? resource.origin : issuer], scopes, dpopAlgorithms: DPOP_ALGORITHMS }),
    resourceMetadataUrl,
    resourceMetadataPaths,
    verifier,
    authorizationServerMetadata: async () => {
      const { metadata } = await server.get();
      return shim ? shim.transform(metadata, resource.origin) : metadata;
    },
    authorizationServerMetadataPaths: shim ? shim.paths : ['/.well-known/oauth-authorization-server'],
    metadataShim: shim !== undefined,
    authenticate: (request, bearerOptions) => authenticateRequest(request, verifier, challenge, { ...bearerOptions, senderConstraint }),
  };
}
