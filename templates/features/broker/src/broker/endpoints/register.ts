/**
 * POST /oauth/register: Dynamic Client Registration (RFC 7591). Anyone may call it, so the body is bounded (64 KiB,
 * counted while it streams: a missing or false Content-Length changes nothing), and registrations are capped in
 * clients.ts. Answers are never cached (they carry client secrets). Errors are RFC 7591 §3.2.2 JSON.
 */
import { RegistrationLimitError, type Clients } from '../clients.js';
import { BrokerError, StoreUnavailableError } from '../contracts.js';

export const MAX_REGISTRATION_BODY_BYTES = 64 * 1024;
const STORE_RETRY_AFTER_SECONDS = 5;

class BodyTooLargeError extends Error {}

/** Answers a registration request with 201 and the registered client, or an RFC 7591 error. */
export async function handleRegister(request: Request, clients: Clients): Promise<Response> {
  if (request.method !== 'POST') {
    return json(405, { error: 'invalid_request', error_description: 'use POST' }, { allow: 'POST' });
  }
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(?:;|$)/i.test(contentType)) {
    return registrationError('invalid_client_metadata', 'send the client metadata as application/json');
  }
  let metadata: unknown;
  try {
    metadata = JSON.parse(await readBodyCapped(request, MAX_REGISTRATION_BODY_BYTES));
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return json(413, { error: 'invalid_client_metadata', error_description: `the body is larger than ${MAX_REGISTRATION_BODY_BYTES} bytes` });
    }
    return registrationError('invalid_client_metadata', 'the body is not valid JSON');
  }
  try {
    return json(201, await clients.register(metadata));
  } catch (error) {
    if (error instanceof RegistrationLimitError) {
      return json(429, { error: error.code, error_description: error.message }, { 'retry-after': String(Math.max(1, error.retryAfterSeconds)) });
    }
    if (error instanceof BrokerError) return registrationError(error.code, error.message);
    if (error instanceof StoreUnavailableError) {
      return json(503, { error: 'temporarily_unavailable', error_description: 'try again shortly' }, { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) });
    }
    return json(500, { error: 'server_error', error_description: 'the registration failed' });
  }
}

function registrationError(code: string, description: string): Response {
  return json(400, { error: code, error_description: description });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
  });
}

/** The body as UTF-8 text; BodyTooLargeError as soon as more than `maxBytes` arrived (the rest is not read). */
async function readBodyCapped(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(body);
}
