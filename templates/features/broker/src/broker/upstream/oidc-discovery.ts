/**
 * OpenID Provider discovery for the broker's upstream: `<issuer>/.well-known/openid-configuration`, checked (issuer
 * byte for byte, secure URLs) and cached with a bounded lifetime. A failed fetch is not retried before a short
 * cooldown, so a provider outage does not turn every sign-in into another request to it.
 */
import { isSecureUrl } from '../../auth/secure-url.js';
import { UpstreamError, type BrokerClock } from '../contracts.js';
import { fetchJson } from './provider-http.js';

/** Seconds a fetched document is used before it is fetched again (keys and endpoints do change, rarely). */
export const METADATA_MAX_AGE_SECONDS = 3600;
/** Seconds after a failed fetch during which callers get that failure instead of a new request. */
export const METADATA_RETRY_SECONDS = 10;

export interface OidcMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  userinfoEndpoint?: string;
  /** Asymmetric algorithms the provider signs ID tokens with (`none` and HS* removed). */
  idTokenAlgorithms: string[];
  tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
  /** RFC 9207: the provider always sends `iss` with the authorization response. */
  issParameterSupported: boolean;
}

const secureUrl = (value: unknown, member: string): string => {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  if (!url) throw new UpstreamError('invalid', `the provider's metadata has no valid ${member}`);
  // http to another host would let anyone on the path swap the signing keys or read the client secret.
  if (!isSecureUrl(url)) throw new UpstreamError('invalid', `the provider's ${member} ${url.href} is not https`);
  return url.href;
};

const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

/** Checks a discovery document for `issuer` and keeps what the broker uses. */
export function parseOidcMetadata(issuer: string, document: Record<string, unknown>): OidcMetadata {
  // OIDC Discovery §4.3 / RFC 8414 §3.3: a document for another issuer is an impersonation or a misconfiguration.
  if (document.issuer !== issuer) {
    throw new UpstreamError('invalid', `the provider's metadata names the issuer ${JSON.stringify(document.issuer)}, not ${issuer}`);
  }
  const algorithms = stringList(document.id_token_signing_alg_values_supported) ?? ['RS256'];
  const idTokenAlgorithms = algorithms.filter((alg) => alg !== 'none' && !alg.startsWith('HS'));
  if (idTokenAlgorithms.length === 0) throw new UpstreamError('invalid', 'the provider signs ID tokens with no asymmetric algorithm');
  const authMethods = stringList(document.token_endpoint_auth_methods_supported) ?? ['client_secret_basic'];
  const metadata: OidcMetadata = {
    issuer,
    authorizationEndpoint: secureUrl(document.authorization_endpoint, 'authorization_endpoint'),
    tokenEndpoint: secureUrl(document.token_endpoint, 'token_endpoint'),
    jwksUri: secureUrl(document.jwks_uri, 'jwks_uri'),
    idTokenAlgorithms,
    tokenEndpointAuthMethod:
      !authMethods.includes('client_secret_basic') && authMethods.includes('client_secret_post') ? 'client_secret_post' : 'client_secret_basic',
    issParameterSupported: document.authorization_response_iss_parameter_supported === true,
  };
  if (document.userinfo_endpoint !== undefined) metadata.userinfoEndpoint = secureUrl(document.userinfo_endpoint, 'userinfo_endpoint');
  return metadata;
}

export interface OidcDiscovery {
  /** The provider's metadata: cached, fetched when stale, the last failure repeated during the retry cooldown. */
  metadata(): Promise<OidcMetadata>;
  /** The last document fetched, if any (for `profileUrl`, which cannot wait). */
  readonly cached: OidcMetadata | undefined;
}

export function createOidcDiscovery(issuer: string, o: { now: BrokerClock; fetch: typeof fetch }): OidcDiscovery {
  const issuerUrl = URL.canParse(issuer) ? new URL(issuer) : undefined;
  if (!issuerUrl || !isSecureUrl(issuerUrl)) throw new TypeError(`the provider's issuer must be an https URL (got ${issuer})`);
  // OIDC Discovery §4: the path is appended to the issuer as configured, without a doubled slash.
  const documentUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let cached: { metadata: OidcMetadata; fetchedAt: number } | undefined;
  let failure: { error: UpstreamError; at: number } | undefined;
  let inFlight: Promise<OidcMetadata> | undefined;

  async function fetchMetadata(): Promise<OidcMetadata> {
    try {
      const { status, body } = await fetchJson(o.fetch, documentUrl, { headers: { accept: 'application/json' } }, 'metadata');
      if (status !== 200) throw new UpstreamError('unavailable', `the provider's metadata answered ${status}`);
      const metadata = parseOidcMetadata(issuer, body);
      cached = { metadata, fetchedAt: o.now() };
      failure = undefined;
      return metadata;
    } catch (error) {
      const upstreamError = error instanceof UpstreamError ? error : new UpstreamError('unavailable', 'discovery failed', undefined, { cause: error });
      failure = { error: upstreamError, at: o.now() };
      throw upstreamError;
    } finally {
      inFlight = undefined;
    }
  }

  return {
    get cached() {
      return cached?.metadata;
    },
    metadata() {
      const now = o.now();
      if (cached && now - cached.fetchedAt < METADATA_MAX_AGE_SECONDS) return Promise.resolve(cached.metadata);
      // While the provider is unreachable, a stale document is better than none; a wrong one (another issuer) is not.
      const stale = (error: UpstreamError): Promise<OidcMetadata> =>
        cached && error.kind === 'unavailable' ? Promise.resolve(cached.metadata) : Promise.reject(error);
      if (failure && now - failure.at < METADATA_RETRY_SECONDS) return stale(failure.error);
      // Concurrent callers share one request.
      inFlight ??= fetchMetadata();
      return inFlight.catch(stale);
    },
  };
}
