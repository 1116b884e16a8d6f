import { getOAuthProtectedResourceMetadataUrl, type OAuthProtectedResourceMetadata } from '@modelcontextprotocol/server';

export interface ResourceMetadataOptions {
  /** The public URL of the MCP endpoint, exactly as clients are given it: the `resource` identifier. */
  resource: URL;
  /** Issuer strings exactly as the provider writes them. */
  authorizationServers: readonly string[];
  /** Every scope the tools use. `offline_access` never belongs here: it is the authorization server's business. */
  scopes: readonly string[];
  resourceName?: string;
  /** DPoP proof algorithms this server verifies (RFC 9449); bearer tokens stay accepted. */
  dpopAlgorithms?: readonly string[];
}

/**
 * The RFC 9728 document. Built from configuration alone, so it is served even while the provider is down.
 * Not the SDK's `buildOAuthProtectedResourceMetadata`: it wants the provider's whole metadata object, has no
 * `bearer_methods_supported` or `dpop_*` fields, and its issuer check knows localhost and 127.0.0.1 but not [::1],
 * so it would refuse at start an issuer that secure-url.ts accepts.
 */
export function buildResourceMetadata(options: ResourceMetadataOptions): OAuthProtectedResourceMetadata {
  return {
    resource: options.resource.href,
    authorization_servers: [...options.authorizationServers],
    scopes_supported: options.scopes.filter((scope) => scope !== 'offline_access'),
    bearer_methods_supported: ['header'],
    ...(options.resourceName ? { resource_name: options.resourceName } : {}),
    ...(options.dpopAlgorithms?.length
      ? { dpop_signing_alg_values_supported: [...options.dpopAlgorithms], dpop_bound_access_tokens_required: false }
      : {}),
  };
}

/**
 * Where the document is served. Clients try the URL from the challenge, then the path form
 * (`/.well-known/oauth-protected-resource/mcp`), then the root form; both forms are served.
 */
export function resourceMetadataLocations(resource: URL): { url: string; paths: string[] } {
  const url = getOAuthProtectedResourceMetadataUrl(resource);
  const paths = [...new Set([new URL(url).pathname, '/.well-known/oauth-protected-resource'])];
  return { url, paths };
}
