import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/broker/contracts.js';
import { postTokenRequest, readTokens, requireSecureEndpoint } from '../../src/broker/upstream/provider-http.js';

// Unit tests with a fetch stub: the failures a real provider rarely produces on demand (timeouts, 429, HTML).
const request = {
  tokenUrl: 'https://idp.example/token',
  clientId: 'app',
  clientSecret: 'the-client-secret',
  authMethod: 'client_secret_post' as const,
  params: { grant_type: 'authorization_code', code: 'the-authorization-code' },
};
const answering = (status: number, body: string, type = 'application/json'): typeof fetch =>
  (async () => new Response(body, { status, headers: { 'content-type': type } })) as typeof fetch;

async function refusal(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('provider HTTP', () => {
  it('gives every request a timeout signal and treats a timeout as unavailable', async () => {
    let signal: AbortSignal | null | undefined;
    const timingOut = (async (_url: unknown, init?: RequestInit) => {
      signal = init?.signal;
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    }) as typeof fetch;
    expect((await refusal(postTokenRequest(timingOut, request))).kind).toBe('unavailable');
    expect(signal).toBeInstanceOf(AbortSignal);
  });

  it('treats 429 and 5xx as unavailable, HTML as invalid, a non-200 without error as invalid', async () => {
    expect((await refusal(postTokenRequest(answering(429, '{}'), request))).kind).toBe('unavailable');
    expect((await refusal(postTokenRequest(answering(503, '<h1>down</h1>', 'text/html'), request))).kind).toBe('unavailable');
    expect((await refusal(postTokenRequest(answering(200, '<h1>hi</h1>', 'text/html'), request))).kind).toBe('invalid');
    expect((await refusal(postTokenRequest(answering(404, '{"message":"nope"}'), request))).kind).toBe('invalid');
  });

  it('never repeats the code or the secret a provider echoes in its error description', async () => {
    const echo = JSON.stringify({ error: 'invalid_grant', error_description: 'code the-authorization-code for the-client-secret is bad' });
    const error = await refusal(postTokenRequest(answering(400, echo), request));
    expect(error.oauthError).toBe('invalid_grant');
    expect(error.message).not.toContain('the-authorization-code');
    expect(error.message).not.toContain('the-client-secret');
  });

  it('does not pass on an error code outside the RFC 6749 character set', async () => {
    const error = await refusal(postTokenRequest(answering(400, JSON.stringify({ error: 'bad"\n<script>' })), request));
    expect(error.oauthError).toBe('invalid_request');
  });

  it('reads tokens: expires_in becomes expiresAt, non-bearer tokens are refused', () => {
    expect(readTokens({ access_token: 'a', token_type: 'bearer', expires_in: '60' }, () => 100)).toEqual({ accessToken: 'a', expiresAt: 160 });
    expect(() => readTokens({ access_token: 'a', token_type: 'DPoP' }, () => 100)).toThrow(UpstreamError);
    expect(() => readTokens({ access_token: '' }, () => 100)).toThrow(UpstreamError);
  });

  it('accepts https and loopback http URLs only', () => {
    expect(requireSecureEndpoint('http://127.0.0.1:8080/x', 'token')).toBe('http://127.0.0.1:8080/x');
    expect(() => requireSecureEndpoint('http://10.0.0.1/x', 'token')).toThrow(TypeError);
    expect(() => requireSecureEndpoint('not a url', 'token')).toThrow(TypeError);
  });
});
