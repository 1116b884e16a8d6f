/**
 * The framework-free resource-server core. The HTTP adapters in `src/http/` are its only users. Optional parts
 * (introspection-verifier.ts for opaque tokens, metadata-shim.ts) are imported from their own files where a project
 * has them.
 */
export { AuthError, type AuthErrorCode } from './errors.js';
export { buildBearerChallenge, buildChallenge, quoteHeaderValue, toAuthFailure, type AuthFailure, type AuthScheme } from './challenge.js';
export { extractAccessToken, extractBearerToken, type AuthRequest, type BearerAuthOptions, type BearerAuthResult } from './bearer-auth.js';
export { createSenderConstraintChecker, DPOP_ALGORITHMS } from './sender-constraint.js';
export { corsHeaders, preflightHeaders } from './cors.js';
export { DiscoveryError, discoveryUrls, fetchServerConfig, requireSecureUrl, type AuthServerConfig, type ServerType } from './discovery.js';
export { isSecureUrl, LOOPBACK_HOSTS } from './secure-url.js';
export { logOutagesQuietly } from './outage-log.js';
export { createMcpAuth, type McpAuth, type McpAuthOptions, type MetadataShim, type VerifierContext } from './mcp-auth.js';
export { createJwtVerifier } from './token-verifier.js';
export { readConfirmation, readScopes, type Confirmation, type TokenRules } from './token-claims.js';
export { tokenRules, serverType, providerDefaults } from './provider.js';
