import { randomBytes } from 'node:crypto';
import type { BrokerLog, Upstream, UpstreamTokens } from '../../src/broker/contracts.js';
import { createFileStore } from '../../src/broker/file-store.js';
import { createGrants } from '../../src/broker/grants.js';
import { hashKey } from '../../src/broker/store.js';
import { deriveSecrets } from '../../src/broker/secrets.js';
import { createSigningKeys } from '../../src/broker/signing-keys.js';
import { createBrokerVerifier } from '../../src/broker/verifier.js';

export const ISSUER = 'https://mcp.example.com';
export const RESOURCE = new URL('https://mcp.example.com/mcp');
export const CLIENT = 'https://app.example.com/client.json';
export const REDIRECT = 'http://127.0.0.1:33418/callback';
export const ACCESS_SECONDS = 300;
export const REFRESH_SECONDS = 86_400;

/** A hand-moved clock (seconds): tests never sleep. */
export function testClock(start = 1_800_000_000) {
  let seconds = start;
  return { now: () => seconds, advance: (by: number) => void (seconds += by) };
}

/** An upstream whose `refresh` is scripted by the test and counted; the other methods are not used by the core. */
export function scriptedUpstream(refresh: (refreshToken: string) => Promise<UpstreamTokens>) {
  const calls: string[] = [];
  const upstream: Upstream = {
    authorizationUrl: async () => new URL('https://idp.example.com/authorize'),
    exchangeCode: async () => { throw new Error('not used'); },
    refresh: (token) => (calls.push(token), refresh(token)),
    check: async () => undefined,
    profileUrl: 'https://idp.example.com/userinfo',
  };
  return { upstream, calls };
}

/** The broker core wired together in memory, with a PKCE pair and helpers to walk a grant to its tokens. */
export async function setupCore(options: { upstreamTokens?: UpstreamTokens; refresh?: (token: string) => Promise<UpstreamTokens> } = {}) {
  const clock = testClock();
  const logs: string[] = [];
  const log: BrokerLog = (message) => logs.push(message);
  const store = await createFileStore({ now: clock.now });
  const secrets = await deriveSecrets(randomBytes(32).toString('base64url'));
  const keys = await createSigningKeys({ store, secrets, now: clock.now, accessTokenSeconds: ACCESS_SECONDS, log });
  const { upstream, calls: upstreamRefreshes } = scriptedUpstream(options.refresh ?? (async () => ({ accessToken: 'fresh-upstream' })));
  const grants = createGrants({ store, secrets, keys, issuer: ISSUER, resource: RESOURCE, now: clock.now, upstream, accessTokenSeconds: ACCESS_SECONDS, refreshTokenSeconds: REFRESH_SECONDS });
  const verifier = createBrokerVerifier({ keys, grants, store, issuer: ISSUER, resource: RESOURCE, now: clock.now });
  const verifierCode = randomBytes(32).toString('base64url');
  const challenge = await hashKey(verifierCode);

  async function grant(scopes: readonly string[] = ['read', 'write'], clientId = CLIENT) {
    return grants.createGrant({
      clientId,
      identity: { subject: 'user-1', name: 'Ada', email: 'ada@example.com' },
      scopes,
      resource: RESOURCE.href,
      upstreamTokens: options.upstreamTokens ?? { accessToken: 'upstream-at', refreshToken: 'upstream-rt', expiresAt: clock.now() + 3600 },
    });
  }

  async function code(grantId: string, scopes: readonly string[] = ['read', 'write']) {
    return grants.issueCode({ grantId, clientId: CLIENT, redirectUri: REDIRECT, codeChallenge: challenge, resource: RESOURCE.href, scopes });
  }

  /** A grant all the way to its first token response. */
  async function tokens(scopes: readonly string[] = ['read', 'write']) {
    const grantId = await grant(scopes);
    const response = await grants.redeemCode({ code: await code(grantId, scopes), clientId: CLIENT, redirectUri: REDIRECT, codeVerifier: verifierCode });
    return { grantId, ...response };
  }

  return { clock, store, secrets, keys, grants, verifier, logs, upstreamRefreshes, verifierCode, challenge, grant, code, tokens };
}
