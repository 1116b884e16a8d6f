import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiscoveryError } from '../../src/auth/index.js';
import { createManualServerConfigCache, fetchManualServerConfig, readManualDiscovery } from '../../src/auth/manual-discovery.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { checkAuthorizationServer } from '../../src/start.js';
import { initializeBody, post } from '../helpers/mcp-client.js';
import { onFreePort, startTestServer, type TestServer } from '../helpers/mcp-server.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

/**
 * The escape hatch for providers without standard discovery: AUTH_JWKS_URI (no metadata, the JWKS by hand) and
 * AUTH_METADATA_URL (the metadata document somewhere else), with discovery's checks and outage behaviour.
 */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  while (closers.length > 0) await closers.pop()!();
});

async function issuerAndServer(env: (issuer: TestIssuer) => Record<string, string>): Promise<{ issuer: TestIssuer; server: TestServer }> {
  const issuer = await startTestIssuer();
  closers.push(() => issuer.close());
  const server = await onFreePort((port) => startTestServer({ PORT: String(port), AUTH_ISSUER: issuer.issuer, ...env(issuer) }));
  closers.push(() => server.close());
  issuer.audience = server.mcpUrl;
  return { issuer, server };
}

/** A document server at a non-standard path. */
async function serveDocument(path: string, body: (origin: string) => unknown): Promise<string> {
  const server: Server = createServer((req, res) => {
    if (req.url !== path) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body(origin)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return `${origin}${path}`;
}

const call = (server: TestServer, token: string) => post(server.mcpUrl, initializeBody(), { Authorization: `Bearer ${token}` });

describe('AUTH_JWKS_URI (no metadata at all)', () => {
  it('accepts a token signed with a key of the given JWKS, without any discovery request', async () => {
    const { issuer, server } = await issuerAndServer((i) => ({ AUTH_JWKS_URI: `${i.issuer}/jwks` }));
    expect((await call(server, await issuer.mint())).status).toBe(200);
    expect(issuer.requests.discovery).toBe(0);
    expect(issuer.requests.jwks).toBe(1);
  });

  it('still refuses a token of another issuer, and a forged one', async () => {
    const { issuer, server } = await issuerAndServer((i) => ({ AUTH_JWKS_URI: `${i.issuer}/jwks` }));
    expect((await call(server, await issuer.mint({ iss: 'https://other.example' }))).status).toBe(401);
    const other = await startTestIssuer();
    closers.push(() => other.close());
    expect((await call(server, await other.mint({ iss: issuer.issuer, aud: server.mcpUrl }))).status).toBe(401);
  });

  it('answers 503 with Retry-After while the JWKS is down, then recovers by itself', async () => {
    const { issuer, server } = await issuerAndServer((i) => ({ AUTH_JWKS_URI: `${i.issuer}/jwks` }));
    const token = await issuer.mint();
    issuer.fail.jwks = 503;
    const down = await call(server, token);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBeTruthy();
    expect(await down.text()).not.toContain('    at ');
    issuer.fail.jwks = undefined;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5100);
    expect((await call(server, token)).status).toBe(200);
  });

  it('has no provider metadata to mirror', async () => {
    const { server } = await issuerAndServer((i) => ({ AUTH_JWKS_URI: `${i.issuer}/jwks` }));
    expect(loadConfig({ AUTH_ISSUER: 'https://id.example.com', AUTH_JWKS_URI: 'https://id.example.com/keys' }).mirrorAuthServerMetadata).toBe(false);
    expect((await fetch(new URL('/.well-known/oauth-authorization-server', server.mcpUrl))).status).toBe(404);
  });
});

describe('AUTH_METADATA_URL (metadata at a non-standard location)', () => {
  it('reads the metadata there and accepts the issuer\'s tokens', async () => {
    const issuer = await startTestIssuer();
    closers.push(() => issuer.close());
    const metadataUrl = await serveDocument('/custom/meta.json', () => ({ issuer: issuer.issuer, jwks_uri: `${issuer.issuer}/jwks`, authorization_endpoint: `${issuer.issuer}/authorize`, token_endpoint: `${issuer.issuer}/token` }));
    const server = await onFreePort((port) => startTestServer({ PORT: String(port), AUTH_ISSUER: issuer.issuer, AUTH_METADATA_URL: metadataUrl }));
    closers.push(() => server.close());
    issuer.audience = server.mcpUrl;
    expect((await call(server, await issuer.mint())).status).toBe(200);
    expect(issuer.requests.discovery).toBe(0);
    expect((await server.mcpAuth.authorizationServerMetadata()).issuer).toBe(issuer.issuer);
  });

  it('refuses a document naming another issuer: misconfigured at start, 503 on requests', async () => {
    const issuer = await startTestIssuer();
    closers.push(() => issuer.close());
    const metadataUrl = await serveDocument('/custom/meta.json', (origin) => ({ issuer: origin, jwks_uri: `${issuer.issuer}/jwks` }));
    const server = await onFreePort((port) => startTestServer({ PORT: String(port), AUTH_ISSUER: issuer.issuer, AUTH_METADATA_URL: metadataUrl }));
    closers.push(() => server.close());
    issuer.audience = server.mcpUrl;
    const refusal = checkAuthorizationServer(server.mcpAuth, () => undefined);
    await expect(refusal).rejects.toBeInstanceOf(DiscoveryError);
    await expect(refusal).rejects.toThrow(/issuer mismatch.*AUTH_METADATA_URL/);
    expect((await call(server, await issuer.mint())).status).toBe(503);
  });

  it('uses discovery\'s refetch policy: a failure is remembered for 5 s, a success kept', async () => {
    let calls = 0;
    let up = false;
    const fakeFetch = (async () => {
      calls++;
      if (!up) throw new TypeError('fetch failed');
      return Response.json({ issuer: 'https://id.example.com', jwks_uri: 'https://id.example.com/keys' });
    }) as typeof fetch;
    const cache = createManualServerConfigCache('https://id.example.com', { metadataUrl: 'https://id.example.com/meta' }, { fetch: fakeFetch });
    await expect(cache.get()).rejects.toMatchObject({ kind: 'unreachable' });
    up = true;
    await expect(cache.get()).rejects.toMatchObject({ kind: 'unreachable' });
    expect(calls).toBe(1);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5100);
    await expect(cache.get()).resolves.toMatchObject({ metadataUrl: 'https://id.example.com/meta' });
    up = false;
    await cache.get();
    expect(calls).toBe(2);
  });
});

describe('configuration', () => {
  const base = { AUTH_ISSUER: 'https://id.example.com' };

  it('refuses both at once, and plain http to another host', () => {
    expect(() => loadConfig({ ...base, AUTH_METADATA_URL: 'https://id.example.com/m', AUTH_JWKS_URI: 'https://id.example.com/k' })).toThrow(/not both/);
    expect(() => loadConfig({ ...base, AUTH_JWKS_URI: 'http://id.example.com/keys' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, AUTH_METADATA_URL: 'http://id.example.com/meta' })).toThrow(/https/);
    expect(() => readManualDiscovery({ AUTH_JWKS_URI: 'https://id.example.com/keys?x=1' })).toThrow(/query/);
  });

  it('takes loopback http, an empty value as unset, and neither as discovery', () => {
    expect(loadConfig({ ...base, AUTH_JWKS_URI: 'http://127.0.0.1:9/keys' }).discovery).toEqual({ jwksUri: 'http://127.0.0.1:9/keys' });
    expect(loadConfig({ ...base, AUTH_METADATA_URL: '', AUTH_JWKS_URI: 'https://id.example.com/keys' }).discovery).toEqual({ jwksUri: 'https://id.example.com/keys' });
    expect(loadConfig(base).discovery).toBeUndefined();
  });

  it('builds a JWKS-only configuration without fetching anything', async () => {
    const fakeFetch = vi.fn() as unknown as typeof fetch;
    const config = await fetchManualServerConfig('https://id.example.com', { jwksUri: 'https://id.example.com/keys' }, { fetch: fakeFetch });
    expect(config.metadata).toEqual({ issuer: 'https://id.example.com', jwks_uri: 'https://id.example.com/keys' });
    expect(fakeFetch).not.toHaveBeenCalled();
  });
});
