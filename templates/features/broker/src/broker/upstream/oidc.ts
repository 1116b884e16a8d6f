/**
 * An OpenID Connect provider as the broker's upstream (Google, Entra, Keycloak, Auth0, …): endpoints from
 * discovery, the user from the ID token, verified against the provider's keys with the nonce of this sign-in.
 * Only a verified ID token names the user; userinfo or a token's own claims are never trusted for `sub`.
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import { UpstreamError, type Upstream, type UpstreamIdentity } from '../contracts.js';
import { createOidcDiscovery, type OidcMetadata } from './oidc-discovery.js';
import { PROVIDER_TIMEOUT_MS, postTokenRequest, readTokens, requireS256Challenge, requireSecureEndpoint, type ProviderAppOptions } from './provider-http.js';

/** `scopes` get `openid` added when it is missing (no ID token without it). */
export type OidcUpstreamOptions = ProviderAppOptions;

/** Seconds of clock difference tolerated between the provider and this server for `exp`, `iat` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 60;

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/** jose's own failures to fetch the key set (timeout, non-200, network) are the provider being down, not a bad token. */
function isKeySetFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout) return true;
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC';
  return true;
}

export function createOidcUpstream(o: OidcUpstreamOptions): Upstream {
  const doFetch = o.fetch ?? fetch;
  const discovery = createOidcDiscovery(o.issuer, { now: o.now, fetch: doFetch });
  // The example tool sends the provider's access token there: https only, checked once here.
  const profileUrl = o.profileUrl === undefined ? undefined : requireSecureEndpoint(o.profileUrl, 'profile');
  const scope = (o.scopes.includes('openid') ? o.scopes : ['openid', ...o.scopes]).join(' ');
  // One key set per jwks_uri, shared by all sign-ins: jose caches it, collapses fetches and waits before refetching.
  let keySet: { uri: string; keys: KeySet } | undefined;
  const keysFor = (metadata: OidcMetadata): KeySet => {
    if (keySet?.uri !== metadata.jwksUri) {
      const keys = createRemoteJWKSet(new URL(metadata.jwksUri), {
        timeoutDuration: PROVIDER_TIMEOUT_MS,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
        ...(o.fetch ? { [customFetch]: o.fetch } : {}),
      });
      keySet = { uri: metadata.jwksUri, keys };
    }
    return keySet.keys;
  };

  async function verifyIdToken(idToken: unknown, metadata: OidcMetadata, nonce: string): Promise<UpstreamIdentity> {
    if (typeof idToken !== 'string') throw new UpstreamError('invalid', "the provider's token response has no id_token");
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(idToken, keysFor(metadata), {
        issuer: o.issuer,
        audience: o.clientId,
        algorithms: metadata.idTokenAlgorithms,
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: new Date(o.now() * 1000),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      if (isKeySetFetchFailure(error)) throw new UpstreamError('unavailable', "the provider's keys could not be fetched", undefined, { cause: error });
      const code = error instanceof errors.JOSEError ? error.code : 'unknown';
      throw new UpstreamError('invalid', `the provider's ID token failed verification (${code})`, undefined, { cause: error });
    }
    // The nonce ties the ID token to this sign-in: without the check, a token from another one could be replayed.
    if (claims.nonce !== nonce) throw new UpstreamError('invalid', "the provider's ID token carries another nonce");
    // OIDC Core §3.1.3.7: azp, when present (or when there are several audiences), must be this client.
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if ((claims.azp !== undefined || audiences.length > 1) && claims.azp !== o.clientId) {
      throw new UpstreamError('invalid', "the provider's ID token was issued to another party (azp)");
    }
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new UpstreamError('invalid', "the provider's ID token has no sub");
    const identity: UpstreamIdentity = { subject: claims.sub };
    if (typeof claims.name === 'string' && claims.name !== '') identity.name = claims.name;
    if (typeof claims.email === 'string' && claims.email !== '') identity.email = claims.email;
    return identity;
  }

  const tokenRequest = (metadata: OidcMetadata, params: Record<string, string>) =>
    postTokenRequest(doFetch, {
      tokenUrl: metadata.tokenEndpoint,
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      authMethod: metadata.tokenEndpointAuthMethod,
      params,
    });

  return {
    get profileUrl() {
      return profileUrl ?? discovery.cached?.userinfoEndpoint;
    },

    async authorizationUrl({ state, codeChallenge, nonce }) {
      requireS256Challenge(codeChallenge);
      const url = new URL((await discovery.metadata()).authorizationEndpoint);
      const params = {
        response_type: 'code',
        client_id: o.clientId,
        redirect_uri: o.callbackUrl,
        scope,
        state,
        nonce,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      };
      // The preset's extras first: the protocol parameters set after them always win.
      for (const [name, value] of Object.entries(o.authorizationParams ?? {})) url.searchParams.set(name, value);
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      return url;
    },

    async exchangeCode({ code, codeVerifier, nonce, iss }) {
      const metadata = await discovery.metadata();
      // RFC 9207 mix-up defence, before the code goes anywhere: the response must come from this provider.
      if (iss !== undefined && iss !== o.issuer) throw new UpstreamError('invalid', 'the authorization response names another issuer (iss)');
      if (iss === undefined && metadata.issParameterSupported) {
        throw new UpstreamError('invalid', 'the authorization response lacks the iss parameter this provider always sends');
      }
      const body = await tokenRequest(metadata, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: o.callbackUrl,
        code_verifier: codeVerifier,
      });
      const identity = await verifyIdToken(body.id_token, metadata, nonce);
      return { identity, tokens: readTokens(body, o.now) };
    },

    async refresh(refreshToken) {
      const body = await tokenRequest(await discovery.metadata(), { grant_type: 'refresh_token', refresh_token: refreshToken });
      const tokens = readTokens(body, o.now);
      // Providers that do not rotate answer without a refresh token: the old one stays valid.
      tokens.refreshToken ??= refreshToken;
      return tokens;
    },

    async check() {
      await discovery.metadata();
    },
  };
}
