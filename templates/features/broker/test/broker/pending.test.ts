/**
 * The pending authorization at rest: the broker's PKCE verifier and nonce toward the provider are sealed in the
 * store (someone who reads the state file or Redis cannot finish a sign-in with them), and a sealed part only
 * opens in the record it was written for.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BrokerStore, Upstream } from '../../src/broker/contracts.js';
import type { AuthorizationRequest } from '../../src/broker/endpoints/authorization-request.js';
import type { BrokerContext } from '../../src/broker/endpoints/context.js';
import { redirectToProvider, takePendingAuthorization } from '../../src/broker/endpoints/pending.js';
import { createFileStore } from '../../src/broker/file-store.js';
import { deriveSecrets } from '../../src/broker/secrets.js';
import { hashKey, storeKey } from '../../src/broker/store.js';

const request: AuthorizationRequest = {
  clientId: 'https://app.example/client.json',
  redirectUri: 'http://127.0.0.1:4000/cb',
  scopes: ['read'],
  state: 'client-state',
  codeChallenge: 'c'.repeat(43),
  resource: 'https://mcp.example/mcp',
};

/** Runs redirectToProvider with a provider stand-in that records what the broker sent it. */
async function startSignIn(secret = randomBytes(32).toString('base64url')) {
  const store: BrokerStore = await createFileStore({ now: () => 1_800_000_000 });
  const secrets = await deriveSecrets(secret);
  const sent: { state: string; codeChallenge: string; nonce: string }[] = [];
  const upstream = { authorizationUrl: async (r: (typeof sent)[number]) => (sent.push(r), new URL('https://idp.example/authorize')) } as unknown as Upstream;
  const logs: string[] = [];
  const context = { issuer: 'https://mcp.example', store, secrets, upstream, now: () => 1_800_000_000, log: (message: string) => logs.push(message) } as unknown as BrokerContext;
  const response = await redirectToProvider(context, request);
  expect(response.status).toBe(302);
  const toProvider = sent[0]!;
  const stateHash = await hashKey(toProvider.state);
  return { store, context, toProvider, stateHash, logs };
}

describe('pending authorization', () => {
  it('stores neither the PKCE verifier nor the nonce in clear', async () => {
    const { store, context, toProvider, stateHash } = await startSignIn();
    const stored = await store.get<Record<string, unknown>>(storeKey.pending(stateHash));
    const text = JSON.stringify(stored);
    const opened = await takePendingAuthorization(context, stateHash);
    expect(opened).toBeDefined();
    expect(text).not.toContain(opened!.codeVerifier);
    expect(text).not.toContain(opened!.nonce);
    expect(text).not.toContain(toProvider.nonce);
    expect(Object.keys(stored!)).not.toContain('codeVerifier');
  });

  it('gives the callback back the verifier of the challenge the provider got, and the nonce it got, once', async () => {
    const { context, toProvider, stateHash } = await startSignIn();
    const opened = await takePendingAuthorization(context, stateHash);
    expect(await hashKey(opened!.codeVerifier)).toBe(toProvider.codeChallenge);
    expect(opened!.nonce).toBe(toProvider.nonce);
    expect(opened!.request).toEqual(request);
    expect(await takePendingAuthorization(context, stateHash)).toBeUndefined();
  });

  it('does not open a sealed part moved into another pending record', async () => {
    const first = await startSignIn();
    const { store, context, stateHash } = first;
    const otherKey = storeKey.pending(await hashKey('another-state'));
    const stolen = await store.get<Record<string, unknown>>(storeKey.pending(stateHash));
    await store.set(otherKey, stolen, 600);
    expect(await takePendingAuthorization(context, await hashKey('another-state'))).toBeUndefined();
    expect(first.logs.join('\n')).toMatch(/could not be opened/);
  });

  it('does not open under another AUTH_BROKER_SECRET', async () => {
    const { store, stateHash } = await startSignIn();
    const otherSecrets = await deriveSecrets(randomBytes(32).toString('base64url'));
    expect(await takePendingAuthorization({ store, secrets: otherSecrets, log: () => {} }, stateHash)).toBeUndefined();
  });
});
