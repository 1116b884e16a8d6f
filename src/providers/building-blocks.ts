/** Values several provider files share: algorithm lists, the generic token rules, the optional audience input. */

/** Every asymmetric JWS algorithm jose verifies with a public key from a JWKS. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA',
] as const;

/** The RSA and EC algorithms: for providers that sign with either family but never EdDSA. */
export const RSA_EC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;

/** Token rules of a server we know nothing about: the standard claims, any asymmetric algorithm. */
export const genericToken = {
  scopeClaims: ['scope', 'scp'],
  clientIdClaims: ['client_id', 'azp'],
  algorithms: ASYMMETRIC_ALGORITHMS,
} as const;

const MCP_URL_EXAMPLE = 'https://mcp.example.com/mcp';

/** An optional audience input: empty means the MCP server URL (what MCP clients send as `resource`). */
export const audienceInput = (flag: string, label: string) =>
  ({ id: 'audience', flag, label, example: MCP_URL_EXAMPLE, kind: 'audience', default: '' }) as const;

/** Where the broker facts of every preset are collected, with their sources (cited in each preset's `evidence`). */
const BROKER_REFERENCE = 'create-mcp-auth-server\'s sourced provider research (providers.json: discovery, registration support) and its broker notes (broker-notes.md: the MCP Security Best Practices and OAuth documents)';

/** Scopes that identify a user at an OpenID provider (OpenID Connect Core §5.4): `sub` from the ID token, name, email. */
export const OIDC_USER_SCOPES = 'openid profile email';

/** Console steps for an OpenID provider the presets know nothing particular about. */
const GENERIC_OIDC_SETUP = [
  'Register one confidential web application (authorization code grant, client secret) at the provider with the redirect (callback) URI {callbackUrl}.',
  'Allow it the scopes openid, profile and email (add offline_access to AUTH_UPSTREAM_SCOPES where the provider issues refresh tokens only for it).',
  'Its client id goes into AUTH_CLIENT_ID and its client secret into AUTH_CLIENT_SECRET in .env.',
] as const;

/**
 * Broker mode at an OpenID provider: the user is the verified ID token's `sub` (its issuer, the broker's client id as
 * `aud`, the nonce), endpoints come from discovery. `options` overrides what the provider needs differently.
 */
export function oidcBroker(options: {
  default?: boolean;
  upstreamScopes?: string;
  setup?: readonly string[];
  evidence?: string;
  profileUrl?: string;
  authorizationParams?: Readonly<Record<string, string>>;
} = {}) {
  const { default: isDefault = false, upstreamScopes = OIDC_USER_SCOPES, setup = GENERIC_OIDC_SETUP, evidence = '', ...rest } = options;
  return {
    default: isDefault,
    upstreamScopes,
    identity: 'id-token',
    setup,
    evidence: [
      'The user is the `sub` of the ID token, verified against the provider\'s JWKS with its issuer, `aud` = AUTH_CLIENT_ID and the nonce (OpenID Connect Core §3.1.3.7); endpoints come from its discovery document.',
      evidence,
      `Sources: ${BROKER_REFERENCE}.`,
    ].filter((part) => part !== '').join(' '),
    ...rest,
  } as const;
}

export { BROKER_REFERENCE };
