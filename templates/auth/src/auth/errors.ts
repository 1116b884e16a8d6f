/**
 * The one error type of the auth core. Each code maps to exactly one HTTP answer in `challenge.ts`
 * (RFC 6750 §3.1 for the first three; RFC 9449 §7.1 `invalid_dpop_proof`; `temporarily_unavailable` when the
 * authorization server cannot be reached).
 */
export type AuthErrorCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_dpop_proof'
  | 'temporarily_unavailable';

/**
 * Not the SDK's `OAuthError`: it takes no `cause` (the server logs the cause of every 503), and its `instanceof`
 * matches by brand, so an OAuthError thrown by any copy of the SDK would be answered as if this core had decided it.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';

  constructor(
    readonly code: AuthErrorCode,
    /** Safe to show to the client: never contains the token or a stack. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
