import type { AuthorizationServerMetadata } from '@modelcontextprotocol/server';
import { isSecureUrl } from './secure-url.js';

/** Which metadata document the provider is known for; the other one is still tried as a fallback. */
export type ServerType = 'oidc' | 'oauth';

export interface AuthServerConfig {
  /** The issuer exactly as configured and as the provider writes it (trailing slash and all). */
  issuer: string;
  /** The provider's metadata, as published. */
  metadata: AuthorizationServerMetadata;
  /** Where it was found (for logs and `doctor`). */
  metadataUrl: string;
}

export interface FetchServerConfigOptions {
  type: ServerType;
  /** Per-request timeout in milliseconds (default 5000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
  constructor(
    message: string,
    /** `unreachable`: try again later. `misconfigured`: the provider answered, but not for this issuer. */
    readonly kind: 'unreachable' | 'misconfigured',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Parses a URL the provider's metadata gave us and refuses it unless it is https (or http on loopback, see
 * `isSecureUrl`): a provider publishing `http://` on a public host is misconfigured, and following it would put
 * `risk` in the hands of anyone on the network path. The refusal is a `misconfigured` DiscoveryError: requests get
 * 503 and the server's log names the member and the URL.
 *
 * @example
 * const jwksUrl = requireSecureUrl(metadata.jwks_uri, 'jwks_uri', 'a network attacker could substitute the signing keys');
 */
export function requireSecureUrl(value: string | URL, member: string, risk: string): URL {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : value instanceof URL ? value : undefined;
  if (!url) throw new DiscoveryError(`the provider's ${member} ${JSON.stringify(value)} is not an absolute URL`, 'misconfigured');
  if (!isSecureUrl(url)) {
    throw new DiscoveryError(`refusing the provider's ${member} ${url.href}: plain http to another host, so ${risk}; it must be https`, 'misconfigured');
  }
  return url;
}

/**
 * The metadata URLs to probe, in order. For an issuer with a path (`https://h/realms/x`) the MCP spec's order is
 * RFC 8414 path-inserted, OIDC path-inserted, OIDC path-appended; OIDC providers publish the last one, so an `oidc`
 * issuer tries it first and saves two round trips.
 */
export function discoveryUrls(issuer: string, type: ServerType): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const at = (wellKnown: string, suffix = '') => new URL(`${wellKnown}${path}${suffix}`, url.origin).href;
  const oauthInserted = at('/.well-known/oauth-authorization-server');
  const oidcInserted = at('/.well-known/openid-configuration');
  const oidcAppended = new URL(`${path}/.well-known/openid-configuration`, url.origin).href;
  const specOrder = path ? [oauthInserted, oidcInserted, oidcAppended] : [oauthInserted, oidcAppended];
  const ordered = type === 'oidc' ? [oidcAppended, ...specOrder.filter((u) => u !== oidcAppended)] : specOrder;
  return [...new Set(ordered)];
}

/**
 * Fetches the authorization server's metadata the way MCP clients do, and refuses a document whose `issuer`
 * differs from the configured one by even one character (RFC 8414 §3.3): a mismatch means tokens would be
 * checked against the wrong issuer.
 */
export async function fetchServerConfig(issuer: string, options: FetchServerConfigOptions): Promise<AuthServerConfig> {
  const doFetch = options.fetch ?? fetch;
  const tried: string[] = [];
  for (const metadataUrl of discoveryUrls(issuer, options.type)) {
    let response: Response;
    try {
      response = await doFetch(metadataUrl, {
        headers: { Accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
    } catch (cause) {
      throw new DiscoveryError(`authorization server metadata at ${metadataUrl} is unreachable`, 'unreachable', { cause });
    }
    if (response.status === 404 || response.status === 405 || response.status === 400) {
      tried.push(`${metadataUrl} (${response.status})`);
      await response.body?.cancel();
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DiscoveryError(`authorization server metadata at ${metadataUrl} answered ${response.status}`, 'unreachable');
    }
    const metadata = (await response.json().catch(() => undefined)) as AuthorizationServerMetadata | undefined;
    if (!metadata || typeof metadata !== 'object' || typeof metadata.issuer !== 'string') {
      throw new DiscoveryError(`${metadataUrl} is not an authorization server metadata document`, 'misconfigured');
    }
    if (metadata.issuer !== issuer) {
      throw new DiscoveryError(
        `issuer mismatch: AUTH_ISSUER is ${JSON.stringify(issuer)} but ${metadataUrl} says ${JSON.stringify(metadata.issuer)}; copy the provider's value exactly`,
        'misconfigured',
      );
    }
    return { issuer, metadata, metadataUrl };
  }
  throw new DiscoveryError(`no authorization server metadata found for ${issuer}; tried ${tried.join(', ')}`, 'misconfigured');
}
