import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DPOP_ALGORITHMS } from '../../src/auth/index.js';
import { advertisedScopes } from '../../src/mcp/server.js';
import { startServerWithTestIssuer, startTestServer, type TestServer } from '../helpers/mcp-server.js';
import type { TestIssuer } from '../helpers/test-issuer.js';

let issuer: TestIssuer;
let server: TestServer;

let close: () => Promise<void>;

beforeAll(async () => {
  // The public URL differs from the bind address on purpose: metadata must come from MCP_SERVER_URL only.
  ({ issuer, server, close } = await startServerWithTestIssuer({ host: 'localhost' }));
});
afterAll(() => close?.());

const local = (path: string) => new URL(path, server.url);

/** GET with a chosen Host header (fetch does not let a caller set Host). */
async function statusWithHost(url: URL, host: string): Promise<number> {
  const { request } = await import('node:http');
  return new Promise<number>((resolve, reject) => {
    request(url, { headers: { Host: host } }, (res) => (res.resume(), resolve(res.statusCode ?? 0)))
      .on('error', reject)
      .end();
  });
}

describe('RFC 9728 protected resource metadata', () => {
  it.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])('is served at %s, built from MCP_SERVER_URL and the issuer string', async (path) => {
    const response = await fetch(local(path), { headers: { Origin: 'http://localhost:6274' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(await response.json()).toEqual({
      resource: server.mcpUrl,
      authorization_servers: [issuer.issuer],
      scopes_supported: [...advertisedScopes],
      bearer_methods_supported: ['header'],
      // DPoP-bound tokens are verified with their proofs (RFC 9449); plain bearer tokens stay accepted.
      dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS],
      dpop_bound_access_tokens_required: false,
    });
  });

  it('never advertises offline_access', async () => {
    const body = (await (await fetch(local('/.well-known/oauth-protected-resource/mcp'))).json()) as { scopes_supported: string[] };
    expect(body.scopes_supported).not.toContain('offline_access');
  });

  it('answers a CORS preflight with 204 and echoes the requested MCP headers', async () => {
    const response = await fetch(local('/.well-known/oauth-protected-resource/mcp'), {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:6274', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'mcp-protocol-version' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(response.headers.get('access-control-allow-headers')).toBe('mcp-protocol-version');
    expect(response.headers.get('access-control-allow-methods')).toContain('GET');
  });
});

describe('the authorization server metadata mirror', () => {
  it("serves the provider's own document unchanged at the MCP origin", async () => {
    const response = await fetch(local('/.well-known/oauth-authorization-server'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { issuer: string; jwks_uri: string };
    expect(body.issuer).toBe(issuer.issuer);
    expect(body.jwks_uri).toBe(`${issuer.issuer}/jwks`);
  });
});

describe('the HTTP surface', () => {
  it('has a health endpoint that needs no token', async () => {
    expect((await fetch(local('/healthz'))).status).toBe(200);
  });

  it('refuses a foreign Origin with 403', async () => {
    const response = await fetch(local('/.well-known/oauth-protected-resource/mcp'), { headers: { Origin: 'https://evil.example' } });
    expect(response.status).toBe(403);
  });

  it('refuses a foreign Host with 403 (DNS rebinding)', async () => {
    expect(await statusWithHost(local('/.well-known/oauth-protected-resource/mcp'), 'evil.example')).toBe(403);
    expect(await statusWithHost(local('/mcp'), 'evil.example')).toBe(403);
  });

  it('answers health probes by IP address in a container (HOST=0.0.0.0, public MCP_SERVER_URL) and still checks Host elsewhere', async () => {
    // A load balancer or Kubernetes probes the task by IP (`Host: 10.0.3.7:3000`), not by the public name.
    const container = await startTestServer({ HOST: '0.0.0.0', MCP_SERVER_URL: 'https://mcp.example.com/mcp', AUTH_ISSUER: issuer.issuer });
    try {
      const at = (path: string) => new URL(path, `http://127.0.0.1:${new URL(container.url).port}`);
      expect(await statusWithHost(at('/healthz'), '10.0.3.7:3000')).toBe(200);
      expect(await statusWithHost(at('/healthz'), '127.0.0.1')).toBe(200);
      expect(await statusWithHost(at('/.well-known/oauth-protected-resource/mcp'), '10.0.3.7:3000')).toBe(403);
      expect(await statusWithHost(at('/.well-known/oauth-protected-resource/mcp'), 'mcp.example.com')).toBe(200);
    } finally {
      await container.close();
    }
  });

  it('answers unknown paths with a JSON 404', async () => {
    const response = await fetch(local('/nope'));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found' });
  });
});
