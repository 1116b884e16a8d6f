/**
 * POST /oauth/register: Dynamic Client Registration (RFC 7591). Anyone may call it, so the body is bounded (http.ts:
 * counted while it streams, a missing or false Content-Length changes nothing), and registrations are capped in
 * clients.ts. Answers are never cached (they carry client secrets). Errors are RFC 7591 §3.2.2 JSON (errors.ts).
 */
import { RegistrationLimitError } from '../clients.js';
import type { BrokerContext } from './context.js';
import { jsonResponse, oauthErrorResponse } from './errors.js';
import { readJson } from './http.js';

/** Answers a registration request with 201 and the registered client, or an RFC 7591 error. */
export async function handleRegister(request: Request, context: Pick<BrokerContext, 'clients' | 'log'>): Promise<Response> {
  try {
    // A body that is not JSON is metadata the server cannot use (RFC 7591 §3.2.2 has no invalid_request).
    const metadata = await readJson(request, 'invalid_client_metadata');
    return jsonResponse(201, await context.clients.register(metadata));
  } catch (error) {
    // The hourly cap is the client's own doing, and it knows when to come back: 429, not the outage's 503.
    if (error instanceof RegistrationLimitError) {
      return jsonResponse(429, { error: error.code, error_description: error.message }, { 'Retry-After': String(Math.max(1, error.retryAfterSeconds)) });
    }
    return oauthErrorResponse(error, { log: context.log });
  }
}
