import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CachingTokenVerifier } from '../../src/auth/token-cache.js';
import { READ_SCOPE, WRITE_SCOPE } from '../../src/scopes.js';
import { moveClockBy } from '../helpers/clock.js';
import { openSession, post, readResult } from '../helpers/mcp-client.js';
import { startServerWithTestIssuer, type TestServer } from '../helpers/mcp-server.js';
import type { TestIssuer } from '../helpers/test-issuer.js';

let issuer: TestIssuer;
let server: TestServer;

let close: () => Promise<void>;

beforeAll(async () => {
  ({ issuer, server, close } = await startServerWithTestIssuer());
});
afterAll(() => close?.());
afterEach(() => void vi.useRealTimers());

const textOf = (result: Record<string, unknown> | undefined) => ((result?.['content'] as { text: string }[] | undefined) ?? [])[0]?.text ?? '';

describe('tools behind the bearer gate', () => {
  it('lists every tool for a valid token', async () => {
    const session = await openSession(server.mcpUrl, await issuer.mint());
    const { result } = await readResult(await session.request('tools/list'));
    const names = ((result?.['tools'] ?? []) as { name: string }[]).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['whoami', 'add', 'list_notes', 'add_note']));
  });

  it('hands the verified identity to tool handlers (whoami)', async () => {
    const session = await openSession(server.mcpUrl, await issuer.mint({ sub: 'alice', client_id: 'inspector', scope: READ_SCOPE }));
    const { result } = await readResult(await session.request('tools/call', { name: 'whoami', arguments: {} }));
    const identity = JSON.parse(textOf(result)) as Record<string, unknown>;
    expect(identity).toMatchObject({ subject: 'alice', clientId: 'inspector', scopes: [READ_SCOPE], issuer: issuer.issuer });
  });

  it('reads scopes from an scp array as well as from a scope string', async () => {
    const session = await openSession(server.mcpUrl, await issuer.mint({ scope: undefined, scp: [READ_SCOPE] }));
    const { result } = await readResult(await session.request('tools/call', { name: 'add', arguments: { a: 2, b: 3 } }));
    expect(textOf(result)).toBe('5');
  });

  it.runIf(WRITE_SCOPE !== READ_SCOPE)('answers 403 insufficient_scope before running a tool whose scope the token lacks', async () => {
    const session = await openSession(server.mcpUrl, await issuer.mint({ scope: READ_SCOPE }));
    const response = await session.request('tools/call', { name: 'add_note', arguments: { text: 'hello' } });
    expect(response.status).toBe(403);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain(`scope="${WRITE_SCOPE}"`);
    expect(challenge).toContain(`resource_metadata="${server.mcpAuth.resourceMetadataUrl}"`);
    const listed = await readResult(await session.request('tools/call', { name: 'list_notes', arguments: {} }));
    expect(textOf(listed.result)).toBe('No notes yet.');
  });

  it('runs a write tool for a token with the write scope, and keeps notes per subject', async () => {
    const writer = await openSession(server.mcpUrl, await issuer.mint({ sub: 'writer', scope: `${READ_SCOPE} ${WRITE_SCOPE}` }));
    expect((await writer.request('tools/call', { name: 'add_note', arguments: { text: 'buy milk' } })).status).toBe(200);
    expect(textOf((await readResult(await writer.request('tools/call', { name: 'list_notes', arguments: {} }))).result)).toBe('1. buy milk');
    const other = await openSession(server.mcpUrl, await issuer.mint({ sub: 'someone-else', scope: READ_SCOPE }));
    expect(textOf((await readResult(await other.request('tools/call', { name: 'list_notes', arguments: {} }))).result)).toBe('No notes yet.');
  });

  it('refuses an unsupported MCP-Protocol-Version with 400', async () => {
    const session = await openSession(server.mcpUrl, await issuer.mint());
    const response = await session.request('tools/list', {}, { 'MCP-Protocol-Version': '1999-01-01' });
    expect(response.status).toBe(400);
  });

  it('checks the token on every request, not just the first', async () => {
    const session = await openSession(server.mcpUrl, await issuer.mint());
    const response = await session.request('tools/list', {}, { Authorization: 'Bearer not-a-jwt' });
    expect(response.status).toBe(401);
  });

  it('refuses a well-signed token on the first request after it expired, though it was cached moments before', async () => {
    const verifier = server.mcpAuth.verifier as CachingTokenVerifier;
    const cachedBefore = verifier.size;
    const token = await issuer.mint({ exp: Math.floor(Date.now() / 1000) + 2, jti: randomUUID() });
    const session = await openSession(server.mcpUrl, token);
    expect(verifier.size).toBe(cachedBefore + 1); // verified once: later requests are served from the cache
    const before = await session.request('tools/list');
    await before.body?.cancel();
    expect(before.status).toBe(200);
    // Past exp and the verifier's 30 s clock tolerance, still within the cache's 60 s max age and the gate's 60 s
    // skew guard: only the cache's own exp bound keeps this token from a 200.
    moveClockBy(42_000);
    const after = await session.request('tools/list');
    await after.body?.cancel();
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers a malformed JSON body with 400 and no stack trace', async () => {
    const response = await fetch(server.mcpUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Authorization: `Bearer ${await issuer.mint()}` },
      body: '{"jsonrpc":',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('    at ');
  });

  it('refuses a request whose Origin is foreign, even with a valid token', async () => {
    const response = await post(server.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'ping' }, { Authorization: `Bearer ${await issuer.mint()}`, Origin: 'https://evil.example' });
    expect(response.status).toBe(403);
  });
});
