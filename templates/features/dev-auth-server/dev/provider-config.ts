/**
 * The oidc-provider configuration of the development authorization server: what it issues (ES256 JWT access tokens
 * for the one MCP resource, refresh tokens on request), to whom (open registration, loopback clients as native apps),
 * for which development users, and which pages it shows. Pure: auth-server.ts loads the keys and the store and
 * serves it.
 */
import type { Configuration, JWK } from 'oidc-provider';
import { SIGNING_ALG } from './keys.js';
import { PAGE_HEADERS, renderErrorPage, type DevUser } from './login-page.js';

export interface ProviderSettings {
  /** The MCP server's URL: the only resource (and token audience). */
  resource: string;
  /** The MCP scopes every token for the resource may carry. */
  scopes: readonly string[];
  /** Access token lifetime in seconds. */
  accessTokenTtl: number;
  users: readonly DevUser[];
  jwks: { keys: JWK[] };
  cookieKeys: string[];
  /** The persistence adapter (DevStore.adapterFor). */
  adapter: NonNullable<Configuration['adapter']>;
  /** oidc-provider's `errors.InvalidTarget`, passed in since oidc-provider is imported lazily (auth-server.ts). */
  InvalidTarget: new (description: string) => Error;
}

/** `URL.parse` needs Node 20.18; this works from 20.12. */
const parseUrl = (value: string): URL | undefined => (URL.canParse(value) ? new URL(value) : undefined);

const isLoopbackHttp = (uri: string): boolean => {
  const u = parseUrl(uri);
  return u !== undefined && u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
};

export function providerConfiguration(settings: ProviderSettings): Configuration {
  const { resource, scopes, accessTokenTtl, users, jwks, cookieKeys, adapter, InvalidTarget } = settings;
  const userById = (id: string): DevUser | undefined => users.find((u) => u.id === id);
  return {
    adapter,
    jwks: jwks as Configuration['jwks'],
    cookies: { keys: cookieKeys },
    // MCP scopes are resource-server scopes (getResourceServerInfo), not OpenID Connect scopes: listed here,
    // consent would also have to grant them as OIDC scopes.
    scopes: ['openid'],
    claims: { openid: ['sub'] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new InvalidTarget(`this server only issues tokens for ${resource}`);
          return {
            scope: scopes.join(' '),
            audience: resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: accessTokenTtl,
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    extraClientMetadata: {
      properties: ['scope'],
      validator: (_ctx, key, _value, metadata) => {
        if (key !== 'scope') return;
        // A registered scope would become an allow-list (so later step-up fails with invalid_scope): drop it.
        delete metadata.scope;
        // Public clients with only loopback redirect URIs are native: any loopback port matches (RFC 8252 §7.3).
        const uris = metadata.redirect_uris;
        if (metadata.token_endpoint_auth_method === 'none' && uris?.length && uris.every(isLoopbackHttp)) {
          metadata.application_type = 'native';
        }
      },
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    clientBasedCORS: (_ctx, origin, client) =>
      isLoopbackHttp(origin) || client.redirectUris?.some((uri) => parseUrl(uri)?.origin === origin) === true,
    findAccount: (_ctx, sub) => {
      const user = userById(sub);
      return user && { accountId: user.id, claims: () => ({ sub: user.id, name: user.name, email: user.email }) };
    },
    extraTokenClaims: (_ctx, token) => {
      const user = 'accountId' in token && token.accountId !== undefined ? userById(token.accountId) : undefined;
      return user && { name: user.name, email: user.email };
    },
    // oidc-provider's default policy also asks native (loopback-redirect) clients on every authorization, approved
    // or not: RFC 8252 §8.6, any program on the machine can receive a loopback redirect and claim that client id.
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      ctx.set(PAGE_HEADERS);
      ctx.body = renderErrorPage(`${out.error}${out.error_description ? `: ${out.error_description}` : ''}`);
    },
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Grant: 30 * 24 * 3600,
      Session: 30 * 24 * 3600,
      RefreshToken: 30 * 24 * 3600,
    },
  };
}
