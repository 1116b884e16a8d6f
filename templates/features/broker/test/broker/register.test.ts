import { describe, expect, it } from 'vitest';
import { createClients, type Clients } from '../../src/broker/clients.js';
import type { BrokerStore } from '../../src/broker/contracts.js';
import { StoreUnavailableError } from '../../src/broker/contracts.js';
import { MAX_BODY_BYTES } from '../../src/broker/endpoints/http.js';
import { handleRegister as handleRegisterWith } from '../../src/broker/endpoints/register.js';
import { createFileStore } from '../../src/broker/file-store.js';

const REGISTER_URL = 'https://mcp.example/oauth/register';
const logs: string[] = [];
const handleRegister = (request: Request, clients: Clients) => handleRegisterWith(request, { clients, log: (message) => logs.push(message) });

async function setUp(options: { maxRegistrationsPerHour?: number; store?: BrokerStore } = {}) {
  const now = () => 1_000_000;
  const store = options.store ?? (await createFileStore({ now }));
  return createClients({ store, now, allowLoopbackHttp: false, ...options });
}

function post(body: NonNullable<RequestInit['body']>, headers: Record<string, string> = { 'content-type': 'application/json' }): Request {
  return new Request(REGISTER_URL, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

const metadata = JSON.stringify({ redirect_uris: ['http://127.0.0.1:4000/cb'], client_name: 'App', token_endpoint_auth_method: 'client_secret_basic' });

describe('POST /oauth/register', () => {
  it('answers 201 with the client and its secret, never cached', async () => {
    const clients = await setUp();
    const response = await handleRegister(post(metadata), clients);
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ client_name: 'App', token_endpoint_auth_method: 'client_secret_basic', client_secret_expires_at: 0 });
    expect(typeof body['client_secret']).toBe('string');
    expect(await clients.find(body['client_id'] as string)).toBeDefined();
  });

  it('refuses a body that is not UTF-8 rather than reading replacement characters into the metadata', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"client_name":"'), 0xff, 0xfe, ...new TextEncoder().encode('","redirect_uris":["https://a.example/cb"]}')]);
    const response = await handleRegister(post(bytes), await setUp());
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/UTF-8/) });
  });

  it.each([
    ['not JSON', post('redirect_uris=x'), 'invalid_client_metadata'],
    ['form-encoded', post(metadata, { 'content-type': 'application/x-www-form-urlencoded' }), 'invalid_client_metadata'],
    ['a JSON array', post('[]'), 'invalid_client_metadata'],
    ['a JSON string', post('"x"'), 'invalid_client_metadata'],
    ['an http redirect URI', post(JSON.stringify({ redirect_uris: ['http://evil.example/cb'] })), 'invalid_redirect_uri'],
    ['a bad grant type', post(JSON.stringify({ redirect_uris: ['https://a.example/cb'], grant_types: ['password'] })), 'invalid_client_metadata'],
  ])('answers 400 to %s', async (_what, request, error) => {
    const response = await handleRegister(request, await setUp());
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error, error_description: expect.any(String) });
  });

  it('answers 413 to a declared body over 64 KiB without reading it', async () => {
    const big = JSON.stringify({ redirect_uris: ['https://a.example/cb'], padding: 'x'.repeat(MAX_BODY_BYTES) });
    const response = await handleRegister(post(big), await setUp());
    expect(response.status).toBe(413);
  });

  it('answers 413 to a streamed body over 64 KiB, counting bytes as they arrive', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(8192).fill(0x20));
      },
    });
    const response = await handleRegister(post(endless), await setUp());
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(20);
  });

  it('counts bytes, not characters', async () => {
    const multibyte = JSON.stringify({ redirect_uris: ['https://a.example/cb'], padding: '\u20ac'.repeat(30_000) }); // 90 KB of UTF-8
    const stream = new Blob([multibyte]).stream();
    const response = await handleRegister(post(stream), await setUp());
    expect(response.status).toBe(413);
  });

  it('answers 429 with Retry-After past the hourly cap', async () => {
    const clients = await setUp({ maxRegistrationsPerHour: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await handleRegister(post(metadata), clients)).status);
    expect(statuses).toEqual([201, 201, 429, 429]);
    const refused = await handleRegister(post(metadata), clients);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('answers 503 with Retry-After when the store is down', async () => {
    const down = new Proxy({} as BrokerStore, {
      get: () => async () => {
        throw new StoreUnavailableError('redis down');
      },
    });
    const response = await handleRegister(post(metadata), await setUp({ store: down }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.text()).not.toContain('redis');
    expect(logs).toContain('broker: store unavailable');
  });
});
