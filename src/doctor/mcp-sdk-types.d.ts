/**
 * token-check.ts imports the generated server's verifier from templates/auth/src/auth/, whose only outside imports
 * are jose (bundled into dist/doctor.js) and these SDK types (erased when bundled). The generator does not depend on
 * the SDK, so its type check gets the members those files use; the generated projects type-check against the real
 * SDK (test/e2e).
 */
declare module '@modelcontextprotocol/server' {
  export interface AuthInfo {
    token: string;
    clientId: string;
    scopes: string[];
    expiresAt?: number;
    resource?: URL;
    extra?: Record<string, unknown>;
  }
  export interface OAuthTokenVerifier {
    verifyAccessToken(token: string): Promise<AuthInfo>;
  }
  export interface AuthorizationServerMetadata {
    issuer: string;
    jwks_uri?: string;
    [member: string]: unknown;
  }
}
