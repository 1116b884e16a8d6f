/**
 * The rules for client metadata, shared by Dynamic Client Registration (RFC 7591) and Client ID Metadata Documents:
 * which redirect URIs a client may have, and which fields it may send. Pure functions; errors are BrokerErrors whose
 * messages are safe to return to the client.
 *
 * Redirect URIs (OAuth 2.1 §2.3.1, RFC 8252 §7): `https` (no fragment, no userinfo); `http` only to the loopback
 * hosts 127.0.0.1, [::1] and localhost, any port; or a private-use scheme in reverse-domain form (it has a dot:
 * `com.example.app:/callback`). Everything else (`javascript:`, `data:`, `file:`, plain http to a network host…) is
 * refused.
 *
 * `application_type`: `web` allows https redirect URIs only; `native` allows loopback http, private-use schemes and
 * (claimed) https. The MCP 2026-07-28 registration text says clients MUST send it, but earlier clients do not: when
 * it is absent it is inferred (`web` when every redirect URI is https, `native` otherwise) instead of OpenID's
 * `web` default, which would refuse every localhost client that predates the rule.
 */
import { isLoopbackUrl } from '../auth/secure-url.js';
import { BrokerError } from './contracts.js';

export type RedirectUriKind = 'https' | 'loopback' | 'private-use';
export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

export interface ClientMetadata {
  redirectUris: string[];
  applicationType: 'web' | 'native';
  /** Stripped of control and bidirectional-override characters; absent when the client sent none. */
  clientName?: string;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  grantTypes: string[];
  responseTypes: string[];
  clientUri?: string;
  logoUri?: string;
}

export const MAX_REDIRECT_URIS = 10;
export const MAX_URI_LENGTH = 2000;
export const MAX_CLIENT_NAME_LENGTH = 200;
const GRANT_TYPES = ['authorization_code', 'refresh_token'];
const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];
/** Characters the URL parser would silently drop or reinterpret (tabs, newlines, spaces, backslashes). */
const UNSAFE_URI_CHARACTERS = /[\u0000-\u0020\u007f-\u009f\\]/;
/** C0/C1 controls and bidirectional overrides: they could disguise a name on the consent page. */
const DISGUISING_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** RFC 3986 scheme, with at least one dot: the reverse-domain form of RFC 8252 §7.1. */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/;

/**
 * Userinfo (`user:pass@host`), including the forms the URL parser drops without a trace (a bare `@`): the string
 * would still read as another host to whoever looks at it, on the consent page or in logs. Refused everywhere.
 */
export function hasUserinfo(url: URL, text: string): boolean {
  return url.username !== '' || url.password !== '' || /^[^:]+:\/\/[^/?#]*@/.test(text);
}

/** What kind of redirect URI this is; throws BrokerError('invalid_redirect_uri') for any refused form. */
export function classifyRedirectUri(value: unknown): RedirectUriKind {
  const refuse = (why: string): never => {
    throw new BrokerError('invalid_redirect_uri', `redirect URI ${JSON.stringify(String(value).slice(0, 100))} ${why}`);
  };
  if (typeof value !== 'string' || value === '') return refuse('must be a non-empty string');
  if (value.length > MAX_URI_LENGTH) return refuse(`is longer than ${MAX_URI_LENGTH} characters`);
  if (UNSAFE_URI_CHARACTERS.test(value)) return refuse('contains spaces, control characters or backslashes');
  if (value.includes('#')) return refuse('must not have a fragment');
  if (!URL.canParse(value)) return refuse('is not an absolute URL');
  const url = new URL(value);
  if (hasUserinfo(url, value)) return refuse('must not contain userinfo');
  if (url.protocol === 'https:') return url.hostname === '' ? refuse('has no host') : 'https';
  if (url.protocol === 'http:') {
    return isLoopbackUrl(url) ? 'loopback' : refuse('uses http to a host other than 127.0.0.1, [::1] or localhost');
  }
  if (PRIVATE_USE_SCHEME.test(url.protocol)) return 'private-use';
  return refuse('must use https, http on loopback, or a reverse-domain private-use scheme');
}

/**
 * Whether every redirect URI of a client goes back to the user's own machine. A metadata document cannot prove who
 * owns such URIs (any local app can listen there): MCP 2026-07-28 asks the consent page to warn about them.
 */
export function hasOnlyLoopbackRedirectUris(redirectUris: readonly string[]): boolean {
  return redirectUris.every((uri) => URL.canParse(uri) && isLoopbackUrl(new URL(uri)));
}

/**
 * Validates client metadata (a registration request or a CIMD document). `mode: 'cimd'` also requires a public
 * client: no secrets, `token_endpoint_auth_method` none. Unknown fields are ignored (RFC 7591 §2).
 */
export function parseClientMetadata(input: unknown, mode: 'registration' | 'cimd'): ClientMetadata {
  const invalid = (message: string): never => {
    throw new BrokerError('invalid_client_metadata', message);
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return invalid('the client metadata must be a JSON object');
  const fields = input as Record<string, unknown>;

  const redirectUris = fields['redirect_uris'];
  if (!Array.isArray(redirectUris) || redirectUris.length === 0) {
    throw new BrokerError('invalid_redirect_uri', 'redirect_uris must be a non-empty array');
  }
  if (redirectUris.length > MAX_REDIRECT_URIS) throw new BrokerError('invalid_redirect_uri', `at most ${MAX_REDIRECT_URIS} redirect_uris`);
  const kinds = redirectUris.map(classifyRedirectUri);

  const requestedType = fields['application_type'];
  if (requestedType !== undefined && requestedType !== 'web' && requestedType !== 'native') {
    return invalid('application_type must be "web" or "native"');
  }
  const applicationType = requestedType ?? (kinds.every((kind) => kind === 'https') ? 'web' : 'native');
  if (applicationType === 'web' && kinds.some((kind) => kind !== 'https')) {
    throw new BrokerError('invalid_redirect_uri', 'a web application may only use https redirect URIs (send application_type "native" for loopback or app schemes)');
  }

  if (mode === 'cimd' && Object.keys(fields).some((key) => key.startsWith('client_secret'))) {
    return invalid('a client metadata document must not contain a client secret');
  }
  const authMethod = fields['token_endpoint_auth_method'] ?? 'none';
  if (!AUTH_METHODS.includes(authMethod as TokenEndpointAuthMethod)) return invalid('token_endpoint_auth_method must be none, client_secret_basic or client_secret_post');
  if (mode === 'cimd' && authMethod !== 'none') return invalid('a client metadata document client must use token_endpoint_auth_method "none"');

  const grantTypes = fields['grant_types'] ?? GRANT_TYPES;
  if (!isStringArray(grantTypes) || !grantTypes.includes('authorization_code') || grantTypes.some((grant) => !GRANT_TYPES.includes(grant))) {
    return invalid('grant_types must include authorization_code and may add only refresh_token');
  }
  const responseTypes = fields['response_types'] ?? ['code'];
  if (!isStringArray(responseTypes) || responseTypes.length !== 1 || responseTypes[0] !== 'code') return invalid('response_types must be ["code"]');

  const metadata: ClientMetadata = {
    redirectUris: redirectUris as string[],
    applicationType,
    tokenEndpointAuthMethod: authMethod as TokenEndpointAuthMethod,
    grantTypes: [...new Set(grantTypes)],
    responseTypes: ['code'],
  };
  const clientName = parseClientName(fields['client_name']);
  if (clientName !== undefined) metadata.clientName = clientName;
  const clientUri = parseInformationUri(fields['client_uri'], 'client_uri');
  if (clientUri !== undefined) metadata.clientUri = clientUri;
  const logoUri = parseInformationUri(fields['logo_uri'], 'logo_uri');
  if (logoUri !== undefined) metadata.logoUri = logoUri;
  return metadata;
}

function parseClientName(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BrokerError('invalid_client_metadata', 'client_name must be a string');
  const name = value.replace(DISGUISING_CHARACTERS, '').trim();
  if (name.length > MAX_CLIENT_NAME_LENGTH) throw new BrokerError('invalid_client_metadata', `client_name is longer than ${MAX_CLIENT_NAME_LENGTH} characters`);
  return name === '' ? undefined : name;
}

/** `client_uri` and `logo_uri` are shown or linked on the consent page: https only, no userinfo. */
function parseInformationUri(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const refuse = (): never => {
    throw new BrokerError('invalid_client_metadata', `${field} must be an https URL without userinfo`);
  };
  if (typeof value !== 'string' || value.length > MAX_URI_LENGTH || UNSAFE_URI_CHARACTERS.test(value)) return refuse();
  if (!URL.canParse(value)) return refuse();
  const url = new URL(value);
  if (url.protocol !== 'https:' || hasUserinfo(url, value)) return refuse();
  return value;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
