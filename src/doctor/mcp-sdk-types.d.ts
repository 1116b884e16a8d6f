/**
 * token-check.ts imports templates/auth/src/auth/token-claims.ts, whose only outside import is this SDK type (erased
 * when bundled). The generator does not depend on the SDK, so its type check gets the fields token-claims.ts fills;
 * the generated projects type-check against the real SDK (test/e2e).
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
}
