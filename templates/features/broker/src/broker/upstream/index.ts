/**
 * The provider the broker signs users in at, built from the environment's settings: an OpenID provider found by
 * discovery (`oidc`), or a plain OAuth 2 provider whose endpoints are configured by hand (`oauth2`, e.g. GitHub).
 */
import type { BrokerClock, Upstream } from '../contracts.js';
import { createOAuth2Upstream } from './oauth2.js';
import { createOidcUpstream } from './oidc.js';

export { createOAuth2Upstream, identityFromUser } from './oauth2.js';
export { createOidcUpstream } from './oidc.js';

export interface UpstreamConfig {
  kind: 'oidc' | 'oauth2';
  /** AUTH_ISSUER: the provider's issuer, exactly as its metadata writes it. */
  issuer: string;
  /** AUTH_CLIENT_ID / AUTH_CLIENT_SECRET: the one app registered at the provider. */
  clientId: string;
  clientSecret: string;
  /** AUTH_UPSTREAM_SCOPES: what the broker asks the provider for. */
  scopes: readonly string[];
  /** AUTH_AUTHORIZATION_URL / AUTH_TOKEN_URL / AUTH_USERINFO_URL: required for `oauth2`, ignored for `oidc`. */
  endpoints?: { authorization: string; token: string; userinfo: string };
  /** The user API's stable id member for `oauth2` (default `sub`; `id` for GitHub). */
  userIdField?: string;
  /** AUTH_UPSTREAM_PROFILE_URL: where the example tool reads the profile (default: userinfo / the user endpoint). */
  profileUrl?: string;
  /**
   * Extra parameters of the provider's authorization request, from the preset (Google: `access_type=offline` and
   * `prompt=consent`, without which it issues no refresh token). They never replace a protocol parameter.
   */
  authorizationParams?: Readonly<Record<string, string>>;
}

/** Throws a TypeError naming the setting when the configuration cannot work (missing endpoints, http URLs). */
export function createUpstream(config: UpstreamConfig, o: { callbackUrl: string; now: BrokerClock; fetch?: typeof fetch }): Upstream {
  const common = {
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scopes: config.scopes,
    callbackUrl: o.callbackUrl,
    now: o.now,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(config.profileUrl ? { profileUrl: config.profileUrl } : {}),
    ...(config.authorizationParams ? { authorizationParams: config.authorizationParams } : {}),
  };
  if (config.kind === 'oidc') return createOidcUpstream(common);
  if (!config.endpoints) {
    throw new TypeError('a plain OAuth 2 provider needs AUTH_AUTHORIZATION_URL, AUTH_TOKEN_URL and AUTH_USERINFO_URL');
  }
  return createOAuth2Upstream({ ...common, endpoints: config.endpoints, ...(config.userIdField ? { userIdField: config.userIdField } : {}) });
}
