/**
 * Three replicas of this MCP server as they run in production: one real redis-server (AOF on, fsync on every write,
 * so a crash loses nothing it acknowledged), three real servers with the same REDIS_URL, AUTH_BROKER_SECRET and
 * MCP_SERVER_URL (the proxy's), behind a round-robin proxy, signing users in at this project's provider stand-in
 * (OpenID or GitHub-like, as in broker-server.ts; autoLogin).
 * `signIn` is what an MCP client and its user's browser do, through the proxy.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './mcp-server.js';
import { readResult } from './mcp-client.js';
import { startRedis, type RunningRedis } from './redis-server.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';
import { consentFields, TestBrowser, visibleText } from './test-browser.js';
import { startStandIn, type StandInProvider } from './broker-server.js';
import { followToCallback } from './upstream-stand-ins.js';

export const CLIENT_REDIRECT = 'http://127.0.0.1:8976/callback';

export interface ReplicaSet {
  redis: RunningRedis;
  proxy: RoundRobinProxy;
  provider: StandInProvider;
  replicas: TestServer[];
  /** MCP_SERVER_URL of every replica: the proxy's /mcp. */
  mcpUrl: string;
  /** The environment every replica shares. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startReplicaSet(count = 3): Promise<ReplicaSet> {
  const dataDir = await mkdtemp(join(tmpdir(), 'replicas-redis-'));
  const redis = await startRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dataDir] });
  const proxy = await startRoundRobinProxy();
  const { provider, env: providerEnv } = await startStandIn(`${proxy.origin}/oauth/callback`);
  const mcpUrl = `${proxy.origin}/mcp`;
  const env = {
    MCP_SERVER_URL: mcpUrl,
    ...providerEnv,
    AUTH_CLIENT_ID: 'broker-app',
    AUTH_CLIENT_SECRET: 'broker-app-secret',
    AUTH_BROKER_SECRET: randomBytes(32).toString('base64url'),
    REDIS_URL: redis.url,
  };
  const replicas: TestServer[] = [];
  const close = async () => {
    await Promise.allSettled(replicas.map((replica) => replica.close()));
    await proxy.close();
    await provider.close();
    await redis.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    // One after another: the first creates the signing key, the others must read that one.
    for (let i = 0; i < count; i++) replicas.push(await startTestServer(env));
  } catch (error) {
    await close();
    throw error;
  }
  proxy.setReplicas(replicas.map((replica) => replica.url));
  return { redis, proxy, provider, replicas, mcpUrl, env, close };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function postForm(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
}

export async function registerClient(origin: string): Promise<string> {
  const res = await fetch(`${origin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Replica test client', redirect_uris: [CLIENT_REDIRECT], application_type: 'native' }),
  });
  if (res.status !== 201) throw new Error(`registration refused: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { client_id: string }).client_id;
}

export function authorizeUrl(set: ReplicaSet, clientId: string, challenge: string): URL {
  const url = new URL(`${set.proxy.origin}/oauth/authorize`);
  const params = { response_type: 'code', client_id: clientId, redirect_uri: CLIENT_REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 's1', scope: 'read write', resource: set.mcpUrl };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/** Authorization, consent (Approve) and the provider's sign-in, through the proxy: the code the client receives. */
export async function obtainCode(set: ReplicaSet, clientId: string, browser = new TestBrowser([CLIENT_REDIRECT])): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  let step = await browser.open(authorizeUrl(set, clientId, challenge));
  if (step.kind === 'page' && step.status === 200) step = await browser.submit(step, 'approve');
  if (step.kind !== 'client') throw new Error(`no redirect to the client: ${step.status} ${visibleText(step.html)}`);
  return { code: step.params.get('code') ?? '', verifier };
}

export function redeem(tokenUrl: string, clientId: string, code: { code: string; verifier: string }): Promise<Response> {
  return postForm(tokenUrl, { grant_type: 'authorization_code', client_id: clientId, code: code.code, code_verifier: code.verifier, redirect_uri: CLIENT_REDIRECT });
}

/** tools/call whoami at `mcpUrl` (the proxy, or one replica's own address): the HTTP status and the subject. */
export async function callWhoami(mcpUrl: string, token: string): Promise<{ status: number; subject?: string; retryAfter: string | null }> {
  const res = await fetch(mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
  });
  if (res.status !== 200) {
    await res.body?.cancel();
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  }
  const { result } = await readResult(res);
  const subject = (result?.['structuredContent'] as { subject?: string } | undefined)?.subject;
  return { status: res.status, retryAfter: null, ...(subject ? { subject } : {}) };
}

/** Consent approved and the provider's sign-in done: the callback URL the browser is about to open. */
export async function fromProviderToCallback(set: ReplicaSet, browser: TestBrowser, clientId: string): Promise<URL> {
  const page = await browser.open(authorizeUrl(set, clientId, pkcePair().challenge));
  if (page.kind !== 'page') throw new Error('no consent page');
  const form = consentFields(page.html);
  form.set('decision', 'approve');
  const res = await browser.fetch(new URL('/oauth/consent', page.url), { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' } });
  const location = res.headers.get('location');
  if (res.status !== 303 && res.status !== 302) throw new Error(`consent answered ${res.status}`);
  return followToCallback(location ?? '', `${set.proxy.origin}/oauth/callback`);
}
