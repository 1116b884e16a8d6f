/**
 * Authorization server presets as rows of data. Prompts, `--help`, flag validation and templates all read this
 * table; adding a named provider (Auth0, Keycloak, …) means adding a row, not a branch.
 */
export interface ProviderPreset {
  /** Value of `--provider`. */
  id: string;
  /** Prompt title. */
  label: string;
  /** One line shown in prompts and `--help`. */
  hint: string;
  /** Which metadata document the generated server fetches first: OIDC discovery or RFC 8414. */
  discovery: 'oidc' | 'oauth';
  /** Shown in the issuer prompt and in the missing-issuer error. */
  issuerExample: string;
  /** Issuer used when none is given; only presets that bring their own server have one. */
  defaultIssuer?: string;
  /** True when `npm run dev` also starts the embedded development authorization server. */
  devAuthServer: boolean;
  token: {
    /** Claims read for scopes, first present wins (`scp` is an array at Okta/Ory, a string at Entra). */
    scopeClaims: readonly string[];
    /** Claims read for the client id, first present wins. */
    clientIdClaims: readonly string[];
    /** JWS algorithms accepted; asymmetric only, because keys come from a JWKS (HS256 cannot be verified that way). */
    algorithms: readonly string[];
    /** Required JOSE `typ` header, only where the provider always sets it (RFC 9068 `at+jwt`). */
    requiredTyp?: string;
  };
}

/** Every asymmetric JWS algorithm jose verifies with a public key from a JWKS. */
const ASYMMETRIC_ALGORITHMS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA',
] as const;

const genericToken = {
  scopeClaims: ['scope', 'scp'],
  clientIdClaims: ['client_id', 'azp'],
  algorithms: ASYMMETRIC_ALGORITHMS,
} as const;

export const providers = [
  {
    id: 'local',
    label: 'Local development authorization server (no account needed)',
    hint: 'the dev script also starts an embedded OAuth server with a login page; switch the issuer later',
    discovery: 'oidc',
    issuerExample: 'http://localhost:3001',
    defaultIssuer: 'http://localhost:3001',
    devAuthServer: true,
    // oidc-provider stamps its JWT access tokens with typ at+jwt (RFC 9068), so the check costs nothing.
    token: { ...genericToken, requiredTyp: 'at+jwt' },
  },
  {
    id: 'oidc',
    label: 'Any OpenID Connect provider (Auth0, Keycloak, Okta, Entra ID, …)',
    hint: 'reads /.well-known/openid-configuration from your issuer',
    discovery: 'oidc',
    issuerExample: 'https://your-tenant.example.com/',
    devAuthServer: false,
    token: genericToken,
  },
  {
    id: 'oauth',
    label: 'Any OAuth 2.0 authorization server (RFC 8414 metadata)',
    hint: 'reads /.well-known/oauth-authorization-server from your issuer',
    discovery: 'oauth',
    issuerExample: 'https://auth.example.com',
    devAuthServer: false,
    token: genericToken,
  },
] as const satisfies readonly ProviderPreset[];

export type ProviderId = (typeof providers)[number]['id'];

/** The row for `id`; ids come from validated answers, so a miss is a bug. */
export function getProvider(id: ProviderId): ProviderPreset {
  const row = providers.find((p) => p.id === id);
  if (!row) throw new Error(`unknown provider ${id}`);
  return row;
}
