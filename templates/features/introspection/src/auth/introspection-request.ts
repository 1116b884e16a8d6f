import { DiscoveryError, requireSecureUrl } from './discovery.js';
import { AuthError } from './errors.js';
import type { IntrospectionStyle } from './provider.js';
import { isSecureUrl } from './secure-url.js';
import type { ServerConfigCache } from './server-config-cache.js';

export const GOOGLE_TOKENINFO = 'https://oauth2.googleapis.com/tokeninfo';

/** Where and how to ask the authorization server about a token. */
export interface IntrospectionEndpointOptions {
  /** Expected `iss` when the response names one (RFC 7662 `iss` is optional); named in configuration errors. */
  issuer: string;
  style: IntrospectionStyle;
  /**
   * The endpoint; default: the metadata's `introspection_endpoint` (or Google's tokeninfo). Either must be https, or
   * http on loopback: it receives this server's credentials and users' tokens.
   */
  endpoint?: string;
  /** Client credentials (HTTP Basic, RFC 7662 §2.1) or a bearer token (Ory Network API key) for the endpoint. */
  credentials?: { clientId: string; clientSecret: string } | { bearerToken: string };
  server: ServerConfigCache;
  /** Per-request timeout in milliseconds (default 5000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The HTTP side of introspection: one call to the endpoint, answered with the token's claims in RFC 7662 shape
 * (`active`, `exp`…). Deciding whether those claims are acceptable is the verifier's job. An unreachable or failing
 * endpoint, or an answer that is not JSON, throws `temporarily_unavailable`: an outage, never a refusal.
 */
export function createIntrospectionRequest(options: IntrospectionEndpointOptions): (token: string) => Promise<Record<string, unknown>> {
  const configuredEndpoint = options.endpoint === undefined ? undefined : new URL(options.endpoint);
  if (configuredEndpoint && !isSecureUrl(configuredEndpoint)) {
    throw new TypeError(`introspection endpoint ${configuredEndpoint.href} must use https (http is only for localhost): it receives this server's credentials and users' tokens`);
  }
  const doFetch = options.fetch ?? fetch;

  async function endpoint(): Promise<URL> {
    if (configuredEndpoint) return configuredEndpoint;
    if (options.style === 'google-tokeninfo') return new URL(GOOGLE_TOKENINFO);
    const { metadata } = await options.server.get();
    const found = (metadata as { introspection_endpoint?: unknown }).introspection_endpoint;
    if (typeof found !== 'string') {
      throw new DiscoveryError(`${options.issuer} publishes no introspection_endpoint: set AUTH_INTROSPECTION_ENDPOINT`, 'misconfigured');
    }
    return requireSecureUrl(found, 'introspection_endpoint', "this server's credentials and users' tokens would travel in clear");
  }

  async function introspect(token: string): Promise<Record<string, unknown>> {
    const url = await endpoint();
    const headers: Record<string, string> = { Accept: 'application/json' };
    const credentials = options.credentials;
    if (credentials && 'bearerToken' in credentials) headers['Authorization'] = `Bearer ${credentials.bearerToken}`;
    if (credentials && 'clientId' in credentials) {
      // RFC 6749 §2.3.1: form-encode each part before joining them for Basic.
      const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
      const basic = `${formEncode(credentials.clientId)}:${formEncode(credentials.clientSecret)}`;
      headers['Authorization'] = `Basic ${Buffer.from(basic).toString('base64')}`;
    }
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(options.style === 'google-tokeninfo' ? { access_token: token } : { token, token_type_hint: 'access_token' }),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
    } catch (cause) {
      throw new AuthError('temporarily_unavailable', 'the authorization server cannot be reached to verify the token; try again shortly', { cause });
    }
    // Google's tokeninfo answers 400 for a token it does not know: that is "inactive", not an outage.
    if (options.style === 'google-tokeninfo' && response.status === 400) {
      await response.body?.cancel();
      return { active: false };
    }
    if (!response.ok) {
      await response.body?.cancel();
      const why = response.status === 401 || response.status === 403 ? ' (check AUTH_INTROSPECTION_CLIENT_ID/SECRET)' : '';
      throw new AuthError('temporarily_unavailable', 'the token could not be verified; try again shortly', {
        cause: new Error(`introspection endpoint answered ${response.status}${why}`),
      });
    }
    const body = (await response.json().catch(() => undefined)) as unknown;
    if (!body || typeof body !== 'object') {
      throw new AuthError('temporarily_unavailable', 'the token could not be verified; try again shortly', { cause: new Error('introspection answer is not JSON') });
    }
    return options.style === 'google-tokeninfo' ? fromTokenInfo(body as Record<string, unknown>) : (body as Record<string, unknown>);
  }

  return introspect;
}

/** Google's tokeninfo → RFC 7662 shape: `exp` is a string of seconds, and there is no `active` (a 200 means active). */
function fromTokenInfo(info: Record<string, unknown>): Record<string, unknown> {
  const exp = Number(info['exp'] ?? (typeof info['expires_in'] !== 'undefined' ? Math.floor(Date.now() / 1000) + Number(info['expires_in']) : NaN));
  return { ...info, active: !info['error'] && !info['error_description'], ...(Number.isFinite(exp) ? { exp } : { exp: undefined }) };
}
