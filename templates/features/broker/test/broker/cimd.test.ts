import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMetadataDocumentUrl } from '../../src/broker/cimd.js';
import { createClients, type ClientsOptions } from '../../src/broker/clients.js';
import { BrokerError } from '../../src/broker/contracts.js';
import { createFileStore } from '../../src/broker/file-store.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A real server on loopback that counts its requests. */
async function startServer(handler: Handler) {
  const hits: string[] = [];
  const port = await listen(createServer((request, response) => {
    hits.push(request.url ?? '');
    handler(request, response);
  }));
  return { origin: `http://127.0.0.1:${port}`, port, hits };
}

function serveJson(body: (url: string) => unknown, headers: Record<string, string> = {}): Handler {
  return (request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body(`http://${request.headers.host}${request.url}`)));
  };
}

const documentFor = (clientId: string) => ({ client_id: clientId, client_name: 'CIMD App', redirect_uris: ['http://127.0.0.1:5555/callback'] });

async function setUp(options: Partial<ClientsOptions> = {}) {
  let seconds = 1_000_000;
  const now = () => seconds;
  const store = await createFileStore({ now });
  const resolved: string[] = [];
  const clients = createClients({
    store, now, allowLoopbackHttp: true,
    resolveHost: async (host) => { resolved.push(host); return ['127.0.0.1']; },
    ...options,
  });
  return { clients, store, resolved, advance: (by: number) => (seconds += by) };
}

async function refusal(work: Promise<unknown>): Promise<BrokerError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(BrokerError);
  expect((error as BrokerError).code).toBe('invalid_client');
  return error as BrokerError;
}

describe('CIMD client_id URLs', () => {
  it('accepts a canonical https URL with a path', () => {
    expect(parseMetadataDocumentUrl('https://client.example/oauth/metadata.json', false).href).toBe('https://client.example/oauth/metadata.json');
  });

  it.each([
    ['http://client.example/metadata.json', 'https'],
    ['http://127.0.0.1:8080/metadata.json', 'https'],
    ['https://client.example', 'path'],
    ['https://client.example/', 'path'],
    ['https://client.example/metadata.json#x', 'fragment'],
    ['https://user:pw@client.example/metadata.json', 'userinfo'],
    ['https://user@client.example/metadata.json', 'userinfo'],
    ['https://client.example/a/../metadata.json', 'dot segments'],
    ['https://client.example/a/%2e%2e/metadata.json', 'dot segments'],
    ['https://client.example/./metadata.json', 'dot segments'],
    ['HTTPS://CLIENT.EXAMPLE/metadata.json', 'canonical'],
    ['https://client.example:443/metadata.json', 'canonical'],
    ['https://0x7f.1/metadata.json', 'canonical'],
    [`https://client.example/${'a'.repeat(2000)}`, 'too long'],
  ])('refuses %s (%s)', (clientId, reason) => {
    expect(() => parseMetadataDocumentUrl(clientId, false)).toThrow(reason);
  });
});

describe('CIMD fetch defences (production: no loopback)', () => {
  const production = (resolveHost: (host: string) => Promise<string[]>) => setUp({ allowLoopbackHttp: false, resolveHost });

  it.each([
    ['a private address', ['10.0.0.7']], ['a private 172.16/12 address', ['172.20.1.1']], ['a private 192.168 address', ['192.168.0.10']],
    ['loopback', ['127.0.0.1']], ['IPv6 loopback', ['::1']], ['link-local', ['169.254.10.1']],
    ['the cloud metadata address', ['169.254.169.254']], ['CGNAT', ['100.64.0.9']], ['0.0.0.0', ['0.0.0.0']],
    ['an IPv4-mapped loopback', ['::ffff:127.0.0.1']], ['an IPv4-mapped metadata address', ['::ffff:a9fe:a9fe']],
    ['a unique-local IPv6 address', ['fd00::5']], ['an IPv6 link-local address', ['fe80::1']], ['multicast', ['239.1.1.1']],
    ['one public and one private address', ['93.184.216.34', '10.0.0.1']],
    ['one public and one loopback address (loopback second)', ['2606:4700::1', '::1']],
    ['no address', []],
  ])('refuses a host that resolves to %s', async (_what, addresses) => {
    const server = await startServer(serveJson(documentFor));
    const { clients } = await production(async () => addresses);
    const error = await refusal(clients.find(`https://client.example:${server.port}/metadata.json`));
    expect(error.message).toMatch(/not public|no address/);
    expect(server.hits).toHaveLength(0);
  });

  it.each([
    'https://127.0.0.1/metadata.json', 'https://10.0.0.1/metadata.json', 'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/metadata.json', 'https://[::1]/metadata.json', 'https://[::ffff:7f00:1]/metadata.json',
    'https://[fe80::1]/metadata.json', 'https://0.0.0.0/metadata.json', 'https://[fd00::1]/metadata.json',
  ])('refuses the literal address in %s without resolving anything', async (clientId) => {
    const resolved: string[] = [];
    const { clients } = await production(async (host) => { resolved.push(host); return ['93.184.216.34']; });
    expect((await refusal(clients.find(clientId))).message).toMatch(/not public/);
    expect(resolved).toEqual([]);
  });

  it('refuses http in production, even to loopback', async () => {
    const server = await startServer(serveJson(documentFor));
    const { clients } = await production(async () => ['127.0.0.1']);
    expect((await refusal(clients.find(`${server.origin}/metadata.json`))).message).toMatch(/https/);
    expect(server.hits).toHaveLength(0);
  });

  it('reports a host that does not resolve as a refusal, not a crash', async () => {
    const { clients } = await production(async () => { throw new Error('ENOTFOUND'); });
    expect((await refusal(clients.find('https://nowhere.example/metadata.json'))).message).toMatch(/could not be resolved/);
  });
});

describe('CIMD documents (development: a real server on loopback)', () => {
  it('finds the client its document describes', async () => {
    const server = await startServer(serveJson(documentFor));
    const { clients } = await setUp();
    const clientId = `${server.origin}/clients/app.json`;
    expect(await clients.find(clientId)).toEqual({
      clientId, clientName: 'CIMD App', redirectUris: ['http://127.0.0.1:5555/callback'], kind: 'cimd', tokenEndpointAuthMethod: 'none',
    });
  });

  it("falls back to the URL's host for the name", async () => {
    const server = await startServer(serveJson((url) => ({ client_id: url, redirect_uris: ['https://app.example/cb'] })));
    const { clients } = await setUp();
    expect((await clients.find(`${server.origin}/app.json`))?.clientName).toBe(`127.0.0.1:${server.port}`);
  });

  it.each([
    ['a client_id other than its URL', serveJson(() => documentFor('https://trusted.example/app.json')), /client_id other/],
    ['a client_id differing only in case', serveJson((url) => documentFor(url.toUpperCase())), /client_id other/],
    ['a client secret', serveJson((url) => ({ ...documentFor(url), client_secret: 's3cret' })), /secret/],
    ['client_secret_expires_at', serveJson((url) => ({ ...documentFor(url), client_secret_expires_at: 0 })), /secret/],
    ['private_key_jwt', serveJson((url) => ({ ...documentFor(url), token_endpoint_auth_method: 'private_key_jwt' })), /none/],
    ['client_secret_basic', serveJson((url) => ({ ...documentFor(url), token_endpoint_auth_method: 'client_secret_basic' })), /none/],
    ['a javascript: redirect URI', serveJson((url) => ({ ...documentFor(url), redirect_uris: ['javascript:alert(1)'] })), /redirect URI/],
    ['no redirect URIs', serveJson((url) => ({ client_id: url })), /redirect_uris/],
    ['a JSON array', serveJson(() => []), /JSON object/],
    ['a non-JSON content type', (_q: IncomingMessage, s: ServerResponse) => { s.writeHead(200, { 'content-type': 'text/html' }); s.end('{}'); }, /application\/json/],
    ['invalid JSON', (_q: IncomingMessage, s: ServerResponse) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{"client_id":'); }, /not valid JSON/],
    ['a 404', (_q: IncomingMessage, s: ServerResponse) => { s.writeHead(404); s.end(); }, /HTTP 404/],
    ['a redirect to the metadata address', (_q: IncomingMessage, s: ServerResponse) => { s.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }); s.end(); }, /redirects/],
    ['a declared length over 16 KiB', (_q: IncomingMessage, s: ServerResponse) => { s.writeHead(200, { 'content-type': 'application/json', 'content-length': '20000' }); s.flushHeaders(); }, /larger than 16384/],
  ])('refuses a document with %s', async (_what, handler, message) => {
    const server = await startServer(handler);
    const { clients } = await setUp();
    expect((await refusal(clients.find(`${server.origin}/app.json`))).message).toMatch(message);
  });

  it('does not follow a redirect, even to the same server', async () => {
    const server = await startServer((request, response) => {
      if (request.url === '/moved.json') return serveJson(documentFor)(request, response);
      response.writeHead(301, { location: '/moved.json' });
      response.end();
    });
    const { clients } = await setUp();
    expect((await refusal(clients.find(`${server.origin}/app.json`))).message).toMatch(/redirects/);
    expect(server.hits).toEqual(['/app.json']);
  });

  it('counts name resolution within the deadline', async () => {
    const { clients } = await setUp({ resolveHost: () => new Promise(() => {}), cimd: { timeoutMs: 200 } });
    expect((await refusal(clients.find('https://slow-dns.example/app.json'))).message).toMatch(/timed out/);
  });

  it('stops reading an endless body at 16 KiB instead of buffering it', async () => {
    let written = 0;
    let closed = false;
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.on('close', () => (closed = true));
      const chunk = Buffer.alloc(4096, 0x20);
      const pump = (): void => {
        while (!closed && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
      };
      pump();
    });
    const { clients } = await setUp();
    expect((await refusal(clients.find(`${server.origin}/app.json`))).message).toMatch(/larger than 16384/);
    await expect.poll(() => closed).toBe(true);
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it.each([
    ['never answers', (): void => {}],
    ['trickles its body', (_q: IncomingMessage, s: ServerResponse) => { s.writeHead(200, { 'content-type': 'application/json' }); s.write(' '); }],
  ])('gives up on a server that %s at the deadline', async (_what, handler) => {
    const server = await startServer(handler);
    const { clients } = await setUp({ cimd: { timeoutMs: 300 } });
    const started = Date.now();
    expect((await refusal(clients.find(`${server.origin}/app.json`))).message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('the CIMD cache', () => {
  async function cachedSetUp(headers: Record<string, string> = {}) {
    const server = await startServer(serveJson(documentFor, headers));
    const context = await setUp();
    const clientId = `${server.origin}/app.json`;
    return { ...context, server, clientId };
  }

  it('keeps a document an hour when the server says nothing', async () => {
    const { clients, server, clientId, advance } = await cachedSetUp();
    await clients.find(clientId);
    advance(3599);
    await clients.find(clientId);
    expect(server.hits).toHaveLength(1);
    advance(1);
    await clients.find(clientId);
    expect(server.hits).toHaveLength(2);
  });

  it('honours max-age', async () => {
    const { clients, server, clientId, advance } = await cachedSetUp({ 'cache-control': 'public, max-age=120' });
    await clients.find(clientId);
    advance(119);
    await clients.find(clientId);
    expect(server.hits).toHaveLength(1);
    advance(1);
    await clients.find(clientId);
    expect(server.hits).toHaveLength(2);
  });

  it.each([['max-age=0'], ['max-age=5'], ['no-store'], ['no-cache']])('keeps a document at least 60 s despite %s', async (cacheControl) => {
    const { clients, server, clientId, advance } = await cachedSetUp({ 'cache-control': cacheControl });
    await clients.find(clientId);
    advance(59);
    await clients.find(clientId);
    expect(server.hits).toHaveLength(1);
    advance(1);
    await clients.find(clientId);
    expect(server.hits).toHaveLength(2);
  });

  it('keeps a document at most 24 h whatever max-age says', async () => {
    const { clients, server, clientId, advance } = await cachedSetUp({ 'cache-control': 'max-age=31536000' });
    await clients.find(clientId);
    advance(24 * 3600);
    await clients.find(clientId);
    expect(server.hits).toHaveLength(2);
  });

  it('remembers a failure for 30 s, then fetches again', async () => {
    let valid = false;
    const server = await startServer(serveJson((url) => (valid ? documentFor(url) : { client_id: 'https://other.example/x' })));
    const { clients, advance } = await setUp();
    const clientId = `${server.origin}/app.json`;
    await refusal(clients.find(clientId));
    valid = true;
    advance(29);
    await refusal(clients.find(clientId));
    expect(server.hits).toHaveLength(1);
    advance(1);
    expect((await clients.find(clientId))?.clientName).toBe('CIMD App');
    expect(server.hits).toHaveLength(2);
  });

  it('shares one fetch between concurrent look-ups', async () => {
    const { clients, server, clientId } = await cachedSetUp();
    const found = await Promise.all(Array.from({ length: 10 }, () => clients.find(clientId)));
    expect(found.every((client) => client?.clientId === clientId)).toBe(true);
    expect(server.hits).toHaveLength(1);
  });

  it('caps fresh fetches per minute, without touching cached clients', async () => {
    const server = await startServer(serveJson(documentFor));
    const { clients, advance } = await setUp({ cimd: { maxFetchesPerMinute: 3 } });
    const urls = Array.from({ length: 5 }, (_, i) => `${server.origin}/app-${i}.json`);
    const results = await Promise.allSettled(urls.map((url) => clients.find(url)));
    // Concurrent look-ups reach the cap in any order: which three win is not fixed, how many is.
    const fetched = urls.filter((_, i) => results[i]!.status === 'fulfilled');
    const refused = results.flatMap((result, i) => (result.status === 'rejected' ? [{ url: urls[i]!, reason: result.reason as BrokerError }] : []));
    expect(fetched).toHaveLength(3);
    expect(refused.map(({ reason }) => reason.code)).toEqual(['temporarily_unavailable', 'temporarily_unavailable']);
    expect(server.hits).toHaveLength(3);
    await expect(clients.find(fetched[0]!)).resolves.toBeDefined();
    expect(server.hits).toHaveLength(3);
    advance(60);
    await expect(clients.find(refused[0]!.url)).resolves.toBeDefined();
  });

  it('stores the document under the hash of its URL, never the URL itself', async () => {
    const { clients, store, clientId } = await cachedSetUp();
    await clients.find(clientId);
    const { hashKey } = await import('../../src/broker/store.js');
    expect(await store.get(`cimd:${await hashKey(clientId)}`)).toMatchObject({ client: { clientId } });
  });
});

describe('CIMD over https (self-signed certificate, simulated DNS)', () => {
  function makeCertificate() {
    const directory = mkdtempSync(join(tmpdir(), 'cimd-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=cimd.test', '-addext', 'subjectAltName=DNS:cimd.test',
      '-keyout', join(directory, 'key.pem'), '-out', join(directory, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(directory, 'key.pem'), 'utf8'), cert: readFileSync(join(directory, 'cert.pem'), 'utf8') };
  }

  async function startHttpsServer() {
    const { key, cert } = makeCertificate();
    const hits: string[] = [];
    const port = await listen(createHttpsServer({ key, cert }, (request, response) => {
      hits.push(request.url ?? '');
      serveJson((url) => documentFor(url.replace('http://', 'https://')))(request, response);
    }));
    return { cert, port, hits };
  }

  it('connects to the address it checked (cimd.test exists only in the simulated DNS)', { timeout: 30_000 }, async () => {
    const server = await startHttpsServer();
    const { clients, resolved } = await setUp({ cimd: { ca: server.cert } });
    const clientId = `https://cimd.test:${server.port}/app.json`;
    expect((await clients.find(clientId))?.clientName).toBe('CIMD App');
    expect(resolved).toEqual(['cimd.test']);
    expect(server.hits).toEqual(['/app.json']);
  });

  it('refuses a certificate it does not trust', { timeout: 30_000 }, async () => {
    const server = await startHttpsServer();
    const { clients } = await setUp();
    expect((await refusal(clients.find(`https://cimd.test:${server.port}/app.json`))).message).toMatch(/could not be fetched/);
    expect(server.hits).toHaveLength(0);
  });
});
