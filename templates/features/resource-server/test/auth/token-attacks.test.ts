import { connect } from 'node:net';
import { base64url, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tokenRules } from '../../src/auth/index.js';
import { advertisedScopes } from '../../src/mcp/server.js';
import { READ_SCOPE, WRITE_SCOPE } from '../../src/scopes.js';
import { createAttackTable } from '../helpers/attack-table.js';
import { initializeBody, openSession, post } from '../helpers/mcp-client.js';
import { startTestServer, type TestServer } from '../helpers/mcp-server.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

/**
 * The attack suite: every way a bearer token can be forged, stale, misdirected or malformed, each with the exact
 * status and `WWW-Authenticate` it must get. `ATTACK_TABLE=<file>` writes the table (case → expected → got).
 */
let issuer: TestIssuer;
let server: TestServer;
const table = createAttackTable('bearer tokens');

beforeAll(async () => {
  issuer = await startTestIssuer();
  server = await startTestServer({ AUTH_ISSUER: issuer.issuer });
  issuer.audience = server.mcpUrl;
});
afterAll(async () => {
  await server?.close();
  await issuer?.close();
  table.flush();
});

const now = () => Math.floor(Date.now() / 1000);

/** What a refusal must look like: status and challenge, as one comparable line (`*` = any error description). */
type Expected = { status: number; challenge: 'none' | 'no-error' | { error: string; scope?: string } };

function expectedLine(expected: Expected): string {
  const { challenge } = expected;
  if (challenge === 'none') return `${expected.status}`;
  const metadata = `resource_metadata="${server.mcpAuth.resourceMetadataUrl}"`;
  if (challenge === 'no-error') return `${expected.status} Bearer scope="${advertisedScopes.join(' ')}", ${metadata}`;
  return `${expected.status} Bearer error="${challenge.error}", error_description="*", scope="${challenge.scope ?? advertisedScopes.join(' ')}", ${metadata}`;
}

/** The parameters of a challenge, by name (the SDK's 403 orders them differently from our 401). */
const paramsOf = (header: string) => Object.fromEntries([...header.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));

/** Records the row, then checks status and challenge exactly (only the error description's wording may vary). */
function check(name: string, expected: Expected, got: { status: number; challenge: string | null }) {
  const line = expectedLine(expected);
  table.add({ name, expected: line, got: `${got.status}${got.challenge === null ? '' : ` ${got.challenge}`}` });
  expect(got.status).toBe(expected.status);
  if (expected.challenge === 'none') return expect(got.challenge).toBeNull();
  expect(got.challenge).toMatch(/^Bearer /);
  const have = paramsOf(got.challenge!);
  if (typeof expected.challenge === 'object') {
    expect(have['error_description']).toBeTruthy();
    expect(have['error_description']).not.toMatch(/eyJ|\bat .+:\d+/); // never the token, never a stack frame
    have['error_description'] = '*';
  }
  expect(have).toEqual(paramsOf(line));
}

async function send(headers: Record<string, string>, body: unknown = initializeBody(), url = server.mcpUrl) {
  const response = await post(url, body, headers);
  await response.body?.cancel();
  return { status: response.status, challenge: response.headers.get('www-authenticate') };
}
const bearer = (token: string) => send({ Authorization: `Bearer ${token}` });

/** Raw bytes on a socket: for what fetch refuses to send (duplicate headers, non-UTF-8, control characters). */
function rawRequest(authorizationLines: Buffer): Promise<{ status: number; challenge: string | null }> {
  const url = new URL(server.mcpUrl);
  const body = Buffer.from(JSON.stringify(initializeBody()));
  const head = Buffer.from(
    `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n`,
  );
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [statusLine = '', ...lines] = received.split('\r\n\r\n')[0]!.split('\r\n');
      const challenge = lines.find((line) => /^www-authenticate:/i.test(line));
      resolve({ status: Number(statusLine.split(' ')[1]), challenge: challenge ? challenge.slice(challenge.indexOf(':') + 1).trim() : null });
    });
    socket.end(Buffer.concat([head, authorizationLines, Buffer.from('\r\n'), body]));
  });
}
const authLine = (value: Buffer | string) => Buffer.concat([Buffer.from('Authorization: '), Buffer.from(value as never, 'latin1'), Buffer.from('\r\n')]);

const invalidToken: Expected = { status: 401, challenge: { error: 'invalid_token' } };
const invalidRequest: Expected = { status: 400, challenge: { error: 'invalid_request' } };
const noCredentials: Expected = { status: 401, challenge: 'no-error' };

describe('forged tokens', () => {
  it('alg "none" → 401 invalid_token', async () => {
    const [, payload] = (await issuer.mint()).split('.');
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'test-key-1' }));
    check('alg none', invalidToken, await bearer(`${header}.${payload}.`));
  });
  it('HMAC signed with the RSA public key → 401 invalid_token', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(issuer.publicJwk));
    check('HS256 with the RSA public key as secret', invalidToken, await bearer(await issuer.mint({}, { header: { alg: 'HS256' }, key: secret as never })));
  });
  it('a foreign key under the trusted kid → 401 invalid_token', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    check('foreign key under a trusted kid', invalidToken, await bearer(await issuer.mint({}, { key: privateKey })));
  });
  it('an unknown kid → 401 invalid_token', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    check('unknown kid', invalidToken, await bearer(await issuer.mint({}, { key: privateKey, header: { kid: 'attacker-kid' } })));
  });
  it('a tampered payload → 401 invalid_token', async () => {
    const [header, , signature] = (await issuer.mint({ scope: READ_SCOPE })).split('.');
    const forged = base64url.encode(JSON.stringify({ iss: issuer.issuer, aud: server.mcpUrl, sub: 'admin', scope: `${READ_SCOPE} ${WRITE_SCOPE}`, exp: now() + 300 }));
    check('tampered payload (scope escalated)', invalidToken, await bearer(`${header}.${forged}.${signature}`));
  });
  it('a tampered header → 401 invalid_token', async () => {
    const [, payload, signature] = (await issuer.mint()).split('.');
    const header = base64url.encode(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'test-key-1', jku: 'https://evil.example/jwks' }));
    check('tampered header (jku added)', invalidToken, await bearer(`${header}.${payload}.${signature}`));
  });
  it('a signature from another token → 401 invalid_token', async () => {
    const [header, payload] = (await issuer.mint({ sub: 'mallory' })).split('.');
    const [, , signature] = (await issuer.mint({ sub: 'alice' })).split('.');
    check('signature spliced from another token', invalidToken, await bearer(`${header}.${payload}.${signature}`));
  });
  it('JWE-shaped and extra-segment tokens → 401 invalid_token', async () => {
    check('five segments (JWE shape)', invalidToken, await bearer('a.b.c.d.e'));
    check('not a JWT', invalidToken, await bearer('not-a-jwt'));
  });
});

describe('stale or misdirected tokens', () => {
  it.each([
    ['expired (beyond the clock tolerance)', { exp: now() - 120 }],
    ['nbf in the future', { nbf: now() + 600 }],
    ['no exp', { exp: undefined }],
    ['wrong issuer', { iss: 'https://evil.example' }],
    ['issuer with a trailing slash added', { iss: 'ISSUER/' }],
    ['wrong audience', { aud: 'https://other.example/mcp' }],
    ['missing audience', { aud: undefined }],
    ['audience of the same host, other path', { aud: 'AUDIENCE-other' }],
    ['exp not a number', { exp: 'tomorrow' }],
  ])('%s → 401 invalid_token', async (name, claims) => {
    const resolved = Object.fromEntries(
      Object.entries(claims).map(([key, value]) => [key, value === 'ISSUER/' ? `${issuer.issuer}/` : value === 'AUDIENCE-other' ? `${server.mcpUrl}-other` : value]),
    );
    check(name, invalidToken, await bearer(await issuer.mint(resolved)));
  });
  it('an ID token instead of an access token → 401 invalid_token', async () => {
    // An OpenID Connect ID token: `typ` JWT, audience = the client id, a nonce, no scope.
    const idToken = await issuer.mint({ aud: 'test-client', nonce: 'n-0S6_WzA2Mj', scope: undefined, auth_time: now() }, { header: { typ: 'JWT' } });
    check(`ID token (typ JWT, aud = client id)${tokenRules.requiredTyp ? '' : ' [no typ rule: refused by aud]'}`, invalidToken, await bearer(idToken));
  });
});

describe('scopes', () => {
  const call = async (token: string, tool: string, args: Record<string, unknown> = {}) => {
    const session = await openSession(server.mcpUrl, token);
    const response = await session.request('tools/call', { name: tool, arguments: args });
    await response.body?.cancel();
    return { status: response.status, challenge: response.headers.get('www-authenticate') };
  };
  it('a token without any scope is refused every tool with 403 insufficient_scope', async () => {
    check('no scope claim, tools/call whoami', { status: 403, challenge: { error: 'insufficient_scope', scope: READ_SCOPE } }, await call(await issuer.mint({ scope: undefined }), 'whoami'));
  });
  it.runIf(WRITE_SCOPE !== READ_SCOPE)('a read-only token calling a write tool → 403 insufficient_scope naming the write scope', async () => {
    check('read-only token, tools/call add_note', { status: 403, challenge: { error: 'insufficient_scope', scope: WRITE_SCOPE } }, await call(await issuer.mint({ scope: READ_SCOPE }), 'add_note', { text: 'x' }));
  });
  it.each([
    ['scope as an object', { scope: { [READ_SCOPE]: true } }],
    ['scope as a number', { scope: 42 }],
    ['scope joined with commas', { scope: `${READ_SCOPE},${WRITE_SCOPE}` }],
    ['scope array of non-strings', { scope: [{ name: READ_SCOPE }] }],
    ['scope only in an unread claim (roles)', { scope: undefined, roles: [READ_SCOPE] }],
  ])('%s grants nothing → 403 insufficient_scope', async (name, claims) => {
    check(`${name}, tools/call whoami`, { status: 403, challenge: { error: 'insufficient_scope', scope: READ_SCOPE } }, await call(await issuer.mint(claims), 'whoami'));
  });
  it('the scope a tool needs is checked on every call, not cached with the token', async () => {
    const token = await issuer.mint({ scope: READ_SCOPE });
    expect((await call(token, 'whoami')).status).toBe(200); // verified once, now cached
    if (WRITE_SCOPE !== READ_SCOPE) expect((await call(token, 'add_note', { text: 'x' })).status).toBe(403);
  });
});

describe('tokens sent where they must not be, or malformed requests', () => {
  it('a token in the query string is ignored → 401 without error', async () => {
    const token = await issuer.mint();
    check('token in the query string', noCredentials, await send({}, initializeBody(), `${server.mcpUrl}?access_token=${token}`));
  });
  it('a token in a form body is ignored → 401 without error', async () => {
    const token = await issuer.mint();
    const response = await fetch(server.mcpUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `access_token=${token}` });
    await response.body?.cancel();
    check('token in a form body', noCredentials, { status: response.status, challenge: response.headers.get('www-authenticate') });
  });
  it('a token in a JSON body is ignored → 401 without error', async () => {
    check('token in the JSON-RPC body', noCredentials, await send({}, { ...initializeBody(), access_token: await issuer.mint() }));
  });
  it('the Basic scheme → 401 without error', async () => {
    check('Basic scheme', noCredentials, await send({ Authorization: 'Basic dXNlcjpwYXNz' }));
  });
  it('an empty Authorization header → 401 without error', async () => {
    check('empty Authorization header', noCredentials, await rawRequest(Buffer.from('Authorization: \r\n')));
  });
  it('two Authorization headers → 400 invalid_request', async () => {
    const token = await issuer.mint();
    check('duplicate Authorization headers', invalidRequest, await rawRequest(Buffer.concat([authLine(`Bearer ${token}`), authLine(`Bearer ${token}`)])));
  });
  it('two tokens in one header → 400 invalid_request', async () => {
    const token = await issuer.mint();
    check('two tokens in one header', invalidRequest, await send({ Authorization: `Bearer ${token}, Bearer ${token}` }));
  });
  it.each([['Bearer'], ['Bearer '], ['Bearer a b'], ['Bearer tok"en']])('%j → 400 invalid_request', async (header) => {
    check(`malformed: ${JSON.stringify(header)}`, invalidRequest, await rawRequest(authLine(header)));
  });
  it('a bearer scheme glued to a tab → 400 invalid_request', async () => {
    check('tab instead of a space after Bearer', invalidRequest, await rawRequest(authLine(`Bearer\t${await issuer.mint()}`)));
  });
  it('an oversized token (13 KB) → 400 invalid_request, before any parsing', async () => {
    const verifications = vi.spyOn(server.mcpAuth.verifier, 'verifyAccessToken');
    const fetches = { ...issuer.requests };
    try {
      check('oversized token (13 KB)', invalidRequest, await bearer('a'.repeat(13 * 1024)));
      // Never handed to the verifier: nothing decoded it, and no discovery or JWKS fetch was made for it.
      expect(verifications).not.toHaveBeenCalled();
      expect(issuer.requests).toEqual(fetches);
      // A short token of the same bytes does reach the verifier: the spy sees the calls it should.
      await bearer('a'.repeat(100));
      expect(verifications).toHaveBeenCalledTimes(1);
    } finally {
      verifications.mockRestore();
    }
  });
  it('an oversized header block (20 KB) → 431 from Node, no challenge, before any of our code runs', async () => {
    const verifications = vi.spyOn(server.mcpAuth.verifier, 'verifyAccessToken');
    const fetches = { ...issuer.requests };
    try {
      check('oversized header (20 KB)', { status: 431, challenge: 'none' }, await rawRequest(authLine(`Bearer ${'a'.repeat(20 * 1024)}`)));
      expect(verifications).not.toHaveBeenCalled();
      expect(issuer.requests).toEqual(fetches);
    } finally {
      verifications.mockRestore();
    }
  });
  it('non-UTF-8 bytes in the token → 400 invalid_request', async () => {
    check('non-UTF-8 bytes (0xC3 0x28)', invalidRequest, await rawRequest(authLine(Buffer.from([0x42, 0x65, 0x61, 0x72, 0x65, 0x72, 0x20, 0x61, 0xc3, 0x28, 0x62]))));
  });
  it('a unicode look-alike in the token → 400 invalid_request', async () => {
    const token = await issuer.mint();
    check('look-alike character in the token (U+2024 for ".")', invalidRequest, await rawRequest(authLine(Buffer.from(`Bearer ${token.replace('.', '\u2024')}`, 'utf8'))));
  });
  it.each([
    ['NUL', '\x00'],
    ['control character 0x01', '\x01'],
    ['DEL 0x7F', '\x7f'],
  ])('%s inside the header is refused by Node\'s parser with 400 before any code runs', async (name, char) => {
    check(`${name} in the token`, { status: 400, challenge: 'none' }, await rawRequest(authLine(`Bearer abc${char}def`)));
  });
  it('a lower-case scheme is accepted (RFC 7235: case-insensitive)', async () => {
    const got = await send({ Authorization: `bearer ${await issuer.mint()}` });
    check('lower-case "bearer" with a valid token', { status: 200, challenge: 'none' }, got);
  });
});
