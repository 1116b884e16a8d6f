/**
 * Request plumbing shared by the endpoints: bounded body reading, single-valued parameters, CORS for the endpoints
 * browser-based clients call.
 */
import { BrokerError } from '../contracts.js';

/** Largest request body the broker reads (token, revoke, register, consent): counted while streaming. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A body beyond MAX_BODY_BYTES: answered 413 (errors.ts). */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/**
 * Reads the body as text, stopping as soon as it exceeds `limit` bytes: a Content-Length cannot be trusted (chunked
 * bodies have none), so the count is made on the bytes actually received.
 */
export async function readBodyText(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(`Request body larger than ${limit} bytes.`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(`Request body larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not silently replaced: two parts reading U+FFFD where the client sent other bytes could disagree on a value.
    throw new BrokerError('invalid_request', 'The body is not valid UTF-8.');
  }
}

const mediaType = (request: Request): string => (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** An `application/x-www-form-urlencoded` body (RFC 6749 §3.2): any other type is invalid_request. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') {
    throw new BrokerError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  return new URLSearchParams(await readBodyText(request));
}

/** A JSON body (RFC 7591 registration); a body of another type, or not JSON, is refused with `errorCode`. */
export async function readJson(request: Request, errorCode: BrokerError['code'] = 'invalid_request'): Promise<unknown> {
  if (mediaType(request) !== 'application/json') throw new BrokerError(errorCode, 'The body must be application/json.');
  const text = await readBodyText(request);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BrokerError(errorCode, 'The body is not valid JSON.');
  }
}

/**
 * One parameter's value; sent twice it is invalid_request (RFC 6749 §3.1: "parameters MUST NOT be included more than
 * once"), so no two parts of the broker can read different copies of the same parameter.
 */
export function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new BrokerError('invalid_request', `The ${name} parameter was sent more than once.`);
  const value = values[0];
  return value === undefined || value === '' ? undefined : value;
}

export function required(params: URLSearchParams, name: string): string {
  const value = single(params, name);
  if (value === undefined) throw new BrokerError('invalid_request', `The ${name} parameter is required.`);
  return value;
}

/**
 * CORS for the endpoints a browser-based client calls with fetch (metadata, jwks, register, token, revoke). They use
 * no cookies, so any origin may read them (`*`, no credentials). The authorization, consent and callback endpoints
 * are navigations, never fetched: they get no CORS headers, so no page of another origin can read them.
 */
export function corsHeaders(): Record<string, string> {
  return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'WWW-Authenticate' };
}

export function preflightResponse(methods: readonly string[]): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(),
      'Access-Control-Allow-Methods': [...methods, 'OPTIONS'].join(', '),
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, MCP-Protocol-Version',
      'Access-Control-Max-Age': '600',
    },
  });
}

export function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
