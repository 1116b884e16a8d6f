/**
 * A plain OAuth 2 provider as the broker's upstream (GitHub and the like): endpoints configured by hand, no ID
 * token, so the user is whoever the provider's user API says owns the new access token. The user id is a stable
 * field (`id` for GitHub), never a login or an email, which users can change and others can later take.
 */
import { UpstreamError, type Upstream, type UpstreamIdentity } from '../contracts.js';
import { PROVIDER_TIMEOUT_MS, fetchJson, postTokenRequest, readTokens, requireS256Challenge, requireSecureEndpoint, type ProviderAppOptions } from './provider-http.js';

/** `issuer` is the only accepted RFC 9207 `iss`, if the provider sends one at all. */
export interface OAuth2UpstreamOptions extends ProviderAppOptions {
  endpoints: { authorization: string; token: string; userinfo: string };
  /** The user API's member holding the stable user id (default `sub`; `id` for GitHub). */
  userIdField?: string;
}

/** GitHub refuses API requests without a User-Agent. */
const USER_AGENT = 'mcp-auth-broker';

/** The identity in a user API answer: the id must be a non-empty string or a number, whatever the provider's JSON. */
export function identityFromUser(user: Record<string, unknown>, userIdField: string): UpstreamIdentity {
  const id = user[userIdField];
  const subject = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : typeof id === 'string' && id !== '' ? id : undefined;
  if (subject === undefined) throw new UpstreamError('invalid', `the provider's user API answered without a usable ${userIdField}`);
  const identity: UpstreamIdentity = { subject };
  // A display name only: GitHub users without a name still have a login.
  const name = typeof user.name === 'string' && user.name !== '' ? user.name : user.login;
  if (typeof name === 'string' && name !== '') identity.name = name;
  if (typeof user.email === 'string' && user.email !== '') identity.email = user.email;
  return identity;
}

export function createOAuth2Upstream(o: OAuth2UpstreamOptions): Upstream {
  const doFetch = o.fetch ?? fetch;
  const authorizationEndpoint = requireSecureEndpoint(o.endpoints.authorization, 'authorization');
  const tokenEndpoint = requireSecureEndpoint(o.endpoints.token, 'token');
  const userEndpoint = requireSecureEndpoint(o.endpoints.userinfo, 'user');
  const userIdField = o.userIdField ?? 'sub';
  // Plain OAuth 2 providers (GitHub first) expect the client's credentials in the form body.
  const tokenRequest = (params: Record<string, string>) =>
    postTokenRequest(doFetch, { tokenUrl: tokenEndpoint, clientId: o.clientId, clientSecret: o.clientSecret, authMethod: 'client_secret_post', params });

  async function readUser(accessToken: string): Promise<UpstreamIdentity> {
    const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/json', 'user-agent': USER_AGENT };
    const { status, body } = await fetchJson(doFetch, userEndpoint, { headers }, 'user API');
    if (status !== 200) throw new UpstreamError('invalid', `the provider's user API answered ${status} to its own new token`);
    return identityFromUser(body, userIdField);
  }

  return {
    profileUrl: o.profileUrl === undefined ? userEndpoint : requireSecureEndpoint(o.profileUrl, 'profile'),

    authorizationUrl({ state, codeChallenge }) {
      requireS256Challenge(codeChallenge);
      const url = new URL(authorizationEndpoint);
      const params: Record<string, string> = {
        response_type: 'code',
        client_id: o.clientId,
        redirect_uri: o.callbackUrl,
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      };
      if (o.scopes.length > 0) params.scope = o.scopes.join(' ');
      // The preset's extras first: the protocol parameters set after them always win.
      for (const [name, value] of Object.entries(o.authorizationParams ?? {})) url.searchParams.set(name, value);
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      return Promise.resolve(url);
    },

    async exchangeCode({ code, codeVerifier, iss }) {
      if (iss !== undefined && iss !== o.issuer) throw new UpstreamError('invalid', 'the authorization response names another issuer (iss)');
      const body = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: o.callbackUrl, code_verifier: codeVerifier });
      const tokens = readTokens(body, o.now);
      return { identity: await readUser(tokens.accessToken), tokens };
    },

    async refresh(refreshToken) {
      const tokens = readTokens(await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }), o.now);
      tokens.refreshToken ??= refreshToken;
      return tokens;
    },

    async check() {
      // Any answer below 500 means the provider is there (its authorization endpoint wants a browser and parameters).
      let response: Response;
      try {
        response = await doFetch(authorizationEndpoint, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
      } catch (error) {
        throw new UpstreamError('unavailable', "the provider's authorization endpoint could not be reached", undefined, { cause: error });
      }
      if (response.status >= 500) throw new UpstreamError('unavailable', `the provider's authorization endpoint answered ${response.status}`);
    },
  };
}
