import { describe, expect, it } from 'vitest';
import { createClients, REGISTRATION_IDLE_SECONDS, RegistrationLimitError } from '../../src/broker/clients.js';
import { hasOnlyLoopbackRedirectUris } from '../../src/broker/client-metadata.js';
import { BrokerError } from '../../src/broker/contracts.js';
import { createFileStore } from '../../src/broker/file-store.js';

function clock(start = 1_000_000) {
  let seconds = start;
  return { now: () => seconds, advance: (by: number) => (seconds += by) };
}

async function setUp(options: { maxRegistrations?: number; maxRegistrationsPerHour?: number } = {}) {
  const time = clock();
  const store = await createFileStore({ now: time.now });
  const clients = createClients({ store, now: time.now, allowLoopbackHttp: false, resolveHost: async () => ['10.0.0.1'], ...options });
  return { time, store, clients };
}

const native = { redirect_uris: ['http://127.0.0.1:33418/callback'], client_name: 'Inspector' };

async function refusalOf(work: Promise<unknown>): Promise<BrokerError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(BrokerError);
  return error as BrokerError;
}

describe('client registration (RFC 7591)', () => {
  it('registers a public client and finds it by its random id', async () => {
    const { clients } = await setUp();
    const response = await clients.register(native);
    expect(response).toMatchObject({
      client_id_issued_at: 1_000_000,
      redirect_uris: native.redirect_uris,
      client_name: 'Inspector',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    });
    expect(response).not.toHaveProperty('client_secret');
    const clientId = response['client_id'] as string;
    expect(clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await clients.find(clientId)).toEqual({
      clientId, clientName: 'Inspector', redirectUris: native.redirect_uris, kind: 'registered', tokenEndpointAuthMethod: 'none',
    });
  });

  it('issues a secret once and stores only its hash', async () => {
    const { clients, store } = await setUp();
    const response = await clients.register({ ...native, token_endpoint_auth_method: 'client_secret_post' });
    const secret = response['client_secret'] as string;
    expect(secret.length).toBeGreaterThanOrEqual(43);
    expect(response['client_secret_expires_at']).toBe(0);
    const stored = JSON.stringify(await store.get(`client:${response['client_id'] as string}`));
    expect(stored).not.toContain(secret);
    expect((await clients.find(response['client_id'] as string))?.clientSecretHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['file:///etc/passwd'],
    ['http://evil.example/callback'],
    ['http://127.0.0.1.evil.example/cb'],
    ['http://localhost.evil.example/cb'],
    ['http://10.0.0.1/cb'],
    ['https://client.example/cb#fragment'],
    ['https://client.example/cb#'],
    ['https://user:pass@client.example/cb'],
    ['https://user@client.example/cb'],
    ['https://@client.example/cb'],
    ['https://client.example\\@evil.example/cb'],
    [' https://client.example/cb'],
    ['https://client.example/c\tb'],
    ['https://client.example/c\nb'],
    ['/relative/callback'],
    ['myapp:/callback'],
    ['vbscript:msgbox(1)'],
    ['about:blank'],
    [`https://client.example/${'a'.repeat(2000)}`],
    [''],
  ])('refuses the redirect URI %j', async (uri) => {
    const { clients } = await setUp();
    const error = await refusalOf(clients.register({ redirect_uris: [uri] }));
    expect(error.code).toBe('invalid_redirect_uri');
  });

  it.each([
    [{}],
    [{ redirect_uris: [] }],
    [{ redirect_uris: 'https://client.example/cb' }],
    [{ redirect_uris: [42] }],
    [{ redirect_uris: Array.from({ length: 11 }, (_, i) => `https://client.example/cb${i}`) }],
    [{ redirect_uris: ['http://127.0.0.1/cb'], application_type: 'web' }],
    [{ redirect_uris: ['com.example.app:/cb'], application_type: 'web' }],
  ])('refuses redirect_uris in %j', async (metadata) => {
    const { clients } = await setUp();
    expect((await refusalOf(clients.register(metadata))).code).toBe('invalid_redirect_uri');
  });

  it.each([
    ['https://client.example/cb', undefined, 'web'],
    ['http://127.0.0.1:9999/cb', undefined, 'native'],
    ['http://[::1]:9999/cb', 'native', 'native'],
    ['http://localhost:6274/oauth/callback', undefined, 'native'],
    ['com.example.app:/oauth2redirect', undefined, 'native'],
    ['https://client.example/cb', 'native', 'native'],
  ])('accepts %s (application_type %s, registered as %s)', async (uri, applicationType, expected) => {
    const { clients } = await setUp();
    const response = await clients.register({ redirect_uris: [uri], application_type: applicationType });
    expect(response['application_type']).toBe(expected);
    expect(response['redirect_uris']).toEqual([uri]);
  });

  it.each([
    [{ application_type: 'desktop' }],
    [{ token_endpoint_auth_method: 'private_key_jwt' }],
    [{ grant_types: ['client_credentials'] }],
    [{ grant_types: ['authorization_code', 'implicit'] }],
    [{ grant_types: ['refresh_token'] }],
    [{ response_types: ['token'] }],
    [{ response_types: ['code', 'token'] }],
    [{ client_name: 'x'.repeat(201) }],
    [{ client_name: 42 }],
    [{ client_uri: 'http://client.example' }],
    [{ client_uri: 'javascript:alert(1)' }],
    [{ logo_uri: 'data:image/png;base64,AAAA' }],
    [{ logo_uri: 'https://user:pw@client.example/logo.png' }],
  ])('refuses the metadata %j', async (extra) => {
    const { clients } = await setUp();
    expect((await refusalOf(clients.register({ ...native, ...extra }))).code).toBe('invalid_client_metadata');
  });

  it('strips control and bidirectional-override characters from the name and ignores unknown fields', async () => {
    const { clients } = await setUp();
    const response = await clients.register({ ...native, client_name: 'Good\u0000 App\u202e\u001b[31m', software_id: 'x', jwks: {} });
    expect(response['client_name']).toBe('Good App[31m');
    expect(response).not.toHaveProperty('software_id');
  });

  it('refuses registrations past the total cap, even with fresh hours', async () => {
    const { clients, time } = await setUp({ maxRegistrations: 3, maxRegistrationsPerHour: 100 });
    for (let i = 0; i < 3; i++) {
      await clients.register(native);
      time.advance(3600);
    }
    const error = await refusalOf(clients.register(native));
    expect(error).toBeInstanceOf(RegistrationLimitError);
    expect(error.code).toBe('temporarily_unavailable');
  });

  it('refuses a flood within one hour and accepts again the next hour', async () => {
    const { clients, time } = await setUp({ maxRegistrationsPerHour: 5 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => clients.register(native)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(RegistrationLimitError);
    expect((refused.reason as RegistrationLimitError).retryAfterSeconds).toBeGreaterThan(0);
    time.advance(3600);
    await expect(clients.register(native)).resolves.toHaveProperty('client_id');
  });

  it('forgets a registration unused for 30 days, and keeps one in use', async () => {
    const { clients, time } = await setUp();
    const idle = (await clients.register(native))['client_id'] as string;
    const used = (await clients.register(native))['client_id'] as string;
    for (let day = 0; day < 40; day++) {
      time.advance(24 * 3600);
      expect(await clients.find(used)).toBeDefined();
    }
    expect(40 * 24 * 3600).toBeGreaterThan(REGISTRATION_IDLE_SECONDS);
    expect(await clients.find(idle)).toBeUndefined();
  });

  it('answers undefined for unknown ids without touching the network', async () => {
    const { clients } = await setUp();
    expect(await clients.find('no-such-client')).toBeUndefined();
    expect(await clients.find('')).toBeUndefined();
    expect(await clients.find('../client:x')).toBeUndefined();
  });
});

describe('client authentication', () => {
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

  async function registered(method: 'none' | 'client_secret_basic' | 'client_secret_post') {
    const { clients } = await setUp();
    const response = await clients.register({ ...native, token_endpoint_auth_method: method });
    const client = (await clients.find(response['client_id'] as string))!;
    return { clients, client, secret: response['client_secret'] as string };
  }

  it('accepts a public client that sends no secret and refuses one that does', async () => {
    const { clients, client } = await registered('none');
    await expect(clients.authenticate(client, {})).resolves.toBeUndefined();
    expect((await refusalOf(clients.authenticate(client, { clientSecret: 'x' }))).code).toBe('invalid_client');
    expect((await refusalOf(clients.authenticate(client, { authorization: basic(client.clientId, 'x') }))).code).toBe('invalid_client');
  });

  it('accepts client_secret_basic only with the right secret in the header', async () => {
    const { clients, client, secret } = await registered('client_secret_basic');
    await expect(clients.authenticate(client, { authorization: basic(client.clientId, secret) })).resolves.toBeUndefined();
    for (const credentials of [
      {},
      { clientSecret: secret },
      { authorization: basic(client.clientId, `${secret}x`) },
      { authorization: basic('another-client', secret) },
      { authorization: basic(client.clientId, secret), clientSecret: secret },
      { authorization: 'Basic %%%' },
      { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
    ]) {
      expect((await refusalOf(clients.authenticate(client, credentials))).code, JSON.stringify(credentials)).toBe('invalid_client');
    }
  });

  it('decodes Basic credentials as form-encoded (RFC 6749 §2.3.1)', async () => {
    const { clients, client, secret } = await registered('client_secret_basic');
    const formEncoded = `Basic ${Buffer.from(`${client.clientId}:${secret.replace(/-/g, '%2D')}`).toString('base64')}`;
    await expect(clients.authenticate(client, { authorization: formEncoded })).resolves.toBeUndefined();
  });

  it('accepts client_secret_post only with the right secret in the body', async () => {
    const { clients, client, secret } = await registered('client_secret_post');
    await expect(clients.authenticate(client, { clientSecret: secret })).resolves.toBeUndefined();
    for (const credentials of [{}, { clientSecret: '' }, { clientSecret: secret.slice(1) }, { authorization: basic(client.clientId, secret) }]) {
      expect((await refusalOf(clients.authenticate(client, credentials))).code, JSON.stringify(credentials)).toBe('invalid_client');
    }
  });
});

describe('loopback-only clients (for the consent page warning)', () => {
  it('tells loopback-only redirect URIs from ones that reach a named site or app', () => {
    expect(hasOnlyLoopbackRedirectUris(['http://127.0.0.1:1/cb', 'http://localhost:2/cb', 'http://[::1]:3/cb', 'https://localhost/cb'])).toBe(true);
    expect(hasOnlyLoopbackRedirectUris(['http://127.0.0.1:1/cb', 'https://app.example/cb'])).toBe(false);
    expect(hasOnlyLoopbackRedirectUris(['com.example.app:/cb'])).toBe(false);
  });
});

describe('with Client ID Metadata Documents turned off (a Worker)', () => {
  it('treats a URL client id as unknown without resolving or fetching it, and still finds registered clients', async () => {
    const time = clock();
    const store = await createFileStore({ now: time.now });
    const lookups: string[] = [];
    const clients = createClients({ store, now: time.now, allowLoopbackHttp: true, metadataDocuments: false, resolveHost: async (host) => (lookups.push(host), ['127.0.0.1']) });
    expect(await clients.find('https://client.example/metadata.json')).toBeUndefined();
    expect(await clients.find('http://127.0.0.1:8080/client.json')).toBeUndefined();
    expect(lookups).toEqual([]);
    const registered = await clients.register(native);
    expect((await clients.find(String(registered['client_id'])))?.kind).toBe('registered');
  });
});
