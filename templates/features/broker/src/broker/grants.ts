import { jwtVerify, SignJWT } from 'jose';
import { BrokerError, type BrokerClock, type BrokerSecrets, type BrokerStore, type ProviderAccess, type Upstream, type UpstreamIdentity, type UpstreamTokens } from './contracts.js';
import { deleteGrant, readGrant, type CodeRecord, type GrantRecord, type RefreshRecord } from './grant-records.js';
import { createProviderTokens } from './provider-access.js';
import { localKeyLookup, type SigningKeys } from './signing-keys.js';
import { hashKey, randomToken, storeKey, TTL } from './store.js';
import { checkPkce, isS256Challenge } from './pkce.js';

export interface TokenResponse { access_token: string; token_type: 'Bearer'; expires_in: number; refresh_token: string; scope: string }

export interface Grants {
  createGrant(g: { clientId: string; identity: UpstreamIdentity; scopes: readonly string[]; resource: string; upstreamTokens: UpstreamTokens }): Promise<string>;
  issueCode(c: { grantId: string; clientId: string; redirectUri: string; codeChallenge: string; resource: string; scopes: readonly string[] }): Promise<string>;
  /** PKCE S256 check, client + redirect_uri + resource binding; one use: a second use revokes the grant. BrokerError('invalid_grant') otherwise. */
  redeemCode(r: { code: string; clientId: string; redirectUri: string; codeVerifier: string; resource?: string }): Promise<TokenResponse>;
  /** Rotates the refresh token; a reused (already rotated) one revokes the whole grant. Scope may only narrow. */
  refresh(r: { refreshToken: string; clientId: string; scope?: string; resource?: string }): Promise<TokenResponse>;
  /** RFC 7009: access or refresh token of this client; unknown tokens are silently ignored. Revokes the grant. */
  revoke(r: { token: string; clientId: string }): Promise<void>;
  providerAccess(grantId: string): ProviderAccess;
}

export interface GrantsOptions {
  store: BrokerStore;
  secrets: BrokerSecrets;
  keys: SigningKeys;
  issuer: string;
  /** The MCP server: the one resource (and `aud`) of every token. */
  resource: URL;
  now: BrokerClock;
  upstream: Upstream;
  accessTokenSeconds: number;
  /** Lifetime of a grant (absolute) and of each refresh token. */
  refreshTokenSeconds: number;
  /** Lifetime of an authorization code (default 60). */
  codeSeconds?: number;
}

/**
 * Codes, grants, refresh-token families and RFC 9068 access tokens. Every single use rests on the store's atomic
 * `take`; a code or refresh token presented twice means it leaked, so the grant it belongs to is revoked (RFC 9700
 * §4.5 and §4.14). Access tokens carry `grant_id`: the verifier checks the grant on every request.
 */
export function createGrants(options: GrantsOptions): Grants {
  const { store, secrets, keys, issuer, now, upstream, accessTokenSeconds, refreshTokenSeconds } = options;
  const resource = options.resource.href;
  const codeSeconds = options.codeSeconds ?? TTL.code;
  // Long enough to catch a replay while the code could matter; a replay after the grant ended finds nothing anyway.
  const usedCodeSeconds = Math.max(codeSeconds, Math.min(refreshTokenSeconds, TTL.redeemedCode));
  const providerTokens = createProviderTokens({ store, secrets, upstream, now });

  async function issueTokens(grantId: string, grant: GrantRecord, scopes: readonly string[]): Promise<TokenResponse> {
    const refreshToken = randomToken();
    const refreshSeconds = Math.min(refreshTokenSeconds, grant.expiresAt - now());
    if (refreshSeconds <= 0) throw new BrokerError('invalid_grant', 'the grant has expired; sign in again');
    const record: RefreshRecord = { grantId, clientId: grant.clientId };
    await store.set(storeKey.refresh(await hashKey(refreshToken)), record, refreshSeconds);
    const { kid, privateKey } = await keys.current();
    const scope = scopes.join(' ');
    const accessToken = await new SignJWT({ client_id: grant.clientId, scope, grant_id: grantId })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .setIssuer(issuer)
      .setAudience(resource)
      .setSubject(grant.identity.subject)
      .setIssuedAt(now())
      .setExpirationTime(now() + accessTokenSeconds)
      .setJti(randomToken(16))
      .sign(privateKey);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: accessTokenSeconds, refresh_token: refreshToken, scope };
  }

  async function liveGrant(grantId: string): Promise<GrantRecord> {
    const grant = await readGrant(store, grantId, now);
    if (!grant) throw new BrokerError('invalid_grant', 'the grant was revoked or has expired; sign in again');
    return grant;
  }

  function checkResource(requested: string | undefined, bound: string): void {
    if (requested !== undefined && requested !== bound) throw new BrokerError('invalid_target', `this server issues tokens for ${bound} only`);
  }

  return {
    async createGrant(g) {
      checkResource(g.resource, resource);
      const grantId = randomToken(16);
      const grant: GrantRecord = { clientId: g.clientId, identity: g.identity, scopes: [...g.scopes], resource, createdAt: now(), expiresAt: now() + refreshTokenSeconds };
      await store.set(storeKey.grant(grantId), grant, refreshTokenSeconds);
      await providerTokens.save(grantId, g.upstreamTokens);
      return grantId;
    },

    async issueCode(c) {
      if (!isS256Challenge(c.codeChallenge)) throw new BrokerError('invalid_request', 'code_challenge must be an S256 challenge (43 base64url characters)');
      checkResource(c.resource, resource);
      const grant = await liveGrant(c.grantId);
      if (grant.clientId !== c.clientId) throw new BrokerError('invalid_grant', 'the grant belongs to another client');
      const code = randomToken();
      const record: CodeRecord = { grantId: c.grantId, clientId: c.clientId, redirectUri: c.redirectUri, codeChallenge: c.codeChallenge, resource: c.resource, scopes: [...c.scopes] };
      await store.set(storeKey.code(await hashKey(code)), record, codeSeconds);
      return code;
    },

    async redeemCode(r) {
      const codeHash = await hashKey(r.code);
      const record = await store.get<CodeRecord>(storeKey.code(codeHash));
      if (!record || !(await spend(storeKey.code(codeHash), storeKey.redeemedCode(codeHash), record.grantId, usedCodeSeconds))) {
        return refuseReplay(storeKey.redeemedCode(codeHash), 'the authorization code was already used; the tokens issued for it are revoked', 'the authorization code is unknown or has expired');
      }
      const refusal = (record.clientId !== r.clientId && 'the authorization code was issued to another client')
        || (record.redirectUri !== r.redirectUri && 'redirect_uri does not match the authorization request')
        || (r.resource !== undefined && r.resource !== record.resource && 'resource does not match the authorization request')
        || (!(await checkPkce(r.codeVerifier, record.codeChallenge)) && 'code_verifier does not match the code_challenge');
      if (refusal) {
        // The code was the only way to this grant, and it is spent: the grant can never be used, so end it now.
        await deleteGrant(store, record.grantId);
        throw new BrokerError('invalid_grant', refusal);
      }
      return issueTokens(record.grantId, await liveGrant(record.grantId), record.scopes);
    },

    async refresh(r) {
      const tokenHash = await hashKey(r.refreshToken);
      const usedKey = storeKey.usedRefresh(tokenHash);
      const record = await store.get<RefreshRecord>(storeKey.refresh(tokenHash));
      if (!record) return refuseReplay(usedKey, 'the refresh token was already used; the whole grant is revoked', 'the refresh token is unknown, expired or revoked');
      if (record.clientId !== r.clientId) {
        // Another client holds this client's refresh token: it leaked. End the family.
        await deleteGrant(store, record.grantId);
        throw new BrokerError('invalid_grant', 'the refresh token was issued to another client');
      }
      const grant = await liveGrant(record.grantId);
      checkResource(r.resource, grant.resource);
      const scopes = r.scope !== undefined ? narrowScopes(r.scope, grant.scopes) : grant.scopes;
      // Checked above without spending the token (a refused scope keeps it); now spend it, atomically.
      if (!(await spend(storeKey.refresh(tokenHash), usedKey, record.grantId, Math.max(1, grant.expiresAt - now())))) {
        return refuseReplay(usedKey, 'the refresh token was already used; the whole grant is revoked', 'the refresh token is unknown, expired or revoked');
      }
      return issueTokens(record.grantId, grant, scopes);
    },

    async revoke(r) {
      const grantId = (await refreshTokenGrant(r.token, r.clientId)) ?? (await accessTokenGrant(r.token, r.clientId));
      if (grantId !== undefined) await deleteGrant(store, grantId);
    },

    providerAccess: (grantId) => providerTokens.access(grantId),
  };

  /**
   * The one atomic step of single use: the caller that marks the code or token used (`add`) wins; any other caller,
   * concurrent or later, is a replay. The marker outlives the value, so a late replay is recognised too.
   */
  async function spend(key: string, usedKey: string, grantId: string, usedSeconds: number): Promise<boolean> {
    if (!(await store.add(usedKey, grantId, usedSeconds))) return false;
    await store.delete(key);
    return true;
  }

  /** A used code or refresh token presented again means it leaked (RFC 9700 §4.14): revoke what it gave. */
  async function refuseReplay(usedKey: string, replayMessage: string, unknownMessage: string): Promise<never> {
    const grantId = await store.get<string>(usedKey);
    if (grantId === undefined) throw new BrokerError('invalid_grant', unknownMessage);
    await deleteGrant(store, grantId);
    throw new BrokerError('invalid_grant', replayMessage);
  }

  async function refreshTokenGrant(token: string, clientId: string): Promise<string | undefined> {
    const record = await store.get<RefreshRecord>(storeKey.refresh(await hashKey(token)));
    // Another client's token is ignored like an unknown one (RFC 7009 §2.2: nothing to reveal).
    return record?.clientId === clientId ? record.grantId : undefined;
  }

  async function accessTokenGrant(token: string, clientId: string): Promise<string | undefined> {
    try {
      // Our signature, or anyone could end any user's grant with a forged token. Expired tokens still revoke.
      const { payload } = await jwtVerify(token, localKeyLookup(keys), { algorithms: ['ES256'], typ: 'at+jwt', issuer, audience: resource, currentDate: new Date(0) });
      return payload.client_id === clientId && typeof payload.grant_id === 'string' ? payload.grant_id : undefined;
    } catch {
      return undefined;
    }
  }
}

/** RFC 6749 §6: a refresh may ask for fewer scopes than granted, never more. */
function narrowScopes(requested: string, granted: readonly string[]): string[] {
  const scopes = [...new Set(requested.split(' ').filter(Boolean))];
  const extra = scopes.filter((scope) => !granted.includes(scope));
  if (extra.length > 0) throw new BrokerError('invalid_scope', `scope may only narrow on refresh; not granted: ${extra.join(' ')}`);
  return scopes;
}
