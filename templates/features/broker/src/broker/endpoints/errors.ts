/**
 * The one place a broker error becomes a JSON answer of the token, revocation and registration endpoints
 * (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 7591 §3.2.2). Browser-facing endpoints answer with a page or a redirect instead
 * (consent-page.ts, authorize.ts). Nothing here ever shows a stack, a token or a secret.
 */
import { BrokerError, StoreUnavailableError } from '../contracts.js';
import { BodyTooLargeError } from './http.js';

/** Seconds a client should wait before retrying after an outage (ours or the provider's). */
export const RETRY_AFTER_SECONDS = 5;

const STATUS: Record<BrokerError['code'], number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  invalid_target: 400,
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  access_denied: 403,
  server_error: 500,
  temporarily_unavailable: 503,
};

/** Headers every OAuth JSON answer carries: tokens and errors must never be cached (RFC 6749 §5.1). */
export const NO_STORE_JSON = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...NO_STORE_JSON, ...headers } });
}

export interface OAuthErrorOptions {
  /** The client authenticated with HTTP Basic: a 401 then names the scheme (RFC 6749 §5.2). */
  basicAuth?: boolean;
  log: (message: string, error?: unknown) => void;
}

/**
 * Answers a failure of a JSON endpoint: a BrokerError with its status and code, a body over the cap with 413, an
 * unreachable store with 503 + Retry-After, anything else with a bare 500 (logged, never described).
 */
export function oauthErrorResponse(error: unknown, options: OAuthErrorOptions): Response {
  if (error instanceof BrokerError) {
    const status = STATUS[error.code];
    const headers: Record<string, string> = {};
    if (status === 503) headers['Retry-After'] = String(RETRY_AFTER_SECONDS);
    if (status === 401 && options.basicAuth) headers['WWW-Authenticate'] = 'Basic realm="oauth"';
    if (status >= 500) options.log(`broker: ${error.code}`, error.cause ?? error);
    return jsonResponse(status, { error: error.code, error_description: error.message }, headers);
  }
  if (error instanceof BodyTooLargeError) {
    return jsonResponse(413, { error: 'invalid_request', error_description: error.message });
  }
  if (error instanceof StoreUnavailableError) {
    options.log('broker: store unavailable', error);
    return jsonResponse(503, { error: 'temporarily_unavailable', error_description: 'The server cannot reach its storage; try again shortly.' }, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
  }
  options.log('broker: unexpected error', error);
  return jsonResponse(500, { error: 'server_error', error_description: 'Internal server error.' });
}
