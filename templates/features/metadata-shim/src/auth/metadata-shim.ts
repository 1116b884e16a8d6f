import type { AuthorizationServerMetadata } from '@modelcontextprotocol/server';
import type { MetadataShim } from './mcp-auth.js';

/**
 * The metadata shim, for providers whose metadata omits `code_challenge_methods_supported` (Entra ID, Cognito):
 * MCP clients following the 2025-11-25 spec MUST refuse such an authorization server, even though it does PKCE.
 *
 * With the shim on, the protected resource metadata names this server's origin as the authorization server, and
 * this server serves a copy of the provider's metadata at its own `/.well-known/oauth-authorization-server` and
 * `/.well-known/openid-configuration` with two changes: `issuer` is this origin (clients check that it matches the
 * authorization server they looked up) and `code_challenge_methods_supported` is `["S256"]`. Every endpoint still
 * points at the provider, so users sign in there and tokens are still issued and checked as the provider's.
 *
 * Trade-off: this server now vouches for the provider's metadata (it is only as fresh as the cached copy), and a
 * client that checks the RFC 9207 `iss` authorization response parameter against the metadata will see the
 * provider's issuer, not this origin. Turn it off (AUTH_SERVER_METADATA_SHIM=0) once the provider publishes the field.
 */
export function shimAuthorizationServerMetadata(metadata: AuthorizationServerMetadata, origin: string): AuthorizationServerMetadata {
  const methods = metadata.code_challenge_methods_supported;
  return {
    ...metadata,
    issuer: origin,
    code_challenge_methods_supported: methods && methods.includes('S256') ? methods : [...(methods ?? []), 'S256'],
  };
}

/** Where the shimmed metadata is served: both documents, at the root of this origin (an issuer without a path). */
export const SHIM_METADATA_PATHS = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'] as const;

/** The shim as `createMcpAuth` takes it (`metadataShim` option). */
export const metadataShim: MetadataShim = { transform: shimAuthorizationServerMetadata, paths: SHIM_METADATA_PATHS };
