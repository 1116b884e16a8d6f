/**
 * Authorization server presets as rows of data. Prompts, `--help`, flag validation, templates, the generated README
 * and `doctor` all read this table; adding a provider means adding a row, not a branch. Facts come from the sourced
 * research in providers.json (see `uncertain` on each row for what it could not confirm).
 */
import type { ProviderPreset } from './provider-preset.js';

export type { InputKind, ProviderInput, ProviderPreset, Support, TokenPreset } from './provider-preset.js';

/** Every asymmetric JWS algorithm jose verifies with a public key from a JWKS. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA',
] as const;
const RSA_EC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;

const genericToken = {
  format: 'jwt',
  scopeClaims: ['scope', 'scp'],
  clientIdClaims: ['client_id', 'azp'],
  algorithms: ASYMMETRIC_ALGORITHMS,
} as const;

const MCP_URL_EXAMPLE = 'https://mcp.example.com/mcp';
/** An optional audience input: empty means the MCP server URL (what MCP clients send as `resource`). */
const audienceInput = (flag: string, label: string) =>
  ({ id: 'audience', flag, label, example: MCP_URL_EXAMPLE, kind: 'audience', default: '' }) as const;

export const providers = [
  {
    id: 'local',
    label: 'Local development authorization server (no account needed)',
    hint: 'the dev script also starts an embedded OAuth server with a login page; switch the issuer later',
    discovery: 'oidc',
    metadataLocation: 'root',
    issuerExample: 'http://localhost:3001',
    defaultIssuer: 'http://localhost:3001',
    devAuthServer: true,
    inputs: [],
    audience: { values: [], howTo: 'The development server puts the MCP server URL in `aud` (RFC 8707 resource indicators).' },
    // oidc-provider stamps its JWT access tokens with typ at+jwt (RFC 9068), so the check costs nothing.
    token: {
      ...genericToken,
      requiredTyp: 'at+jwt',
      evidence: {
        scopes: '`scope`: the grant the consent page creates for the requested scopes (dev/interactions.ts).',
        accessTokens: '`typ: at+jwt` (RFC 9068) and `aud` = the MCP server URL; its ID tokens have `typ: JWT` and `aud` = the client id.',
      },
    },
    registration: { dcr: 'yes', cimd: 'no', note: 'open dynamic client registration' },
    resourceIndicators: 'yes',
    sharedSecretFix: 'the development server always signs with ES256; delete .dev-auth/ to start over',
    setup: [],
    uncertain: [],
    docs: [],
  },
  {
    id: 'oidc',
    label: 'Any OpenID Connect provider',
    hint: 'reads /.well-known/openid-configuration from your issuer',
    discovery: 'oidc',
    metadataLocation: 'path-appended',
    issuerExample: 'https://your-tenant.example.com/',
    devAuthServer: false,
    inputs: [],
    audience: { values: [], howTo: 'Configure the provider to put your MCP server URL (the RFC 8707 `resource`) in `aud`, or set AUTH_AUDIENCE to the value it does use.' },
    token: {
      ...genericToken,
      evidence: {
        scopes: '`scope` and `scp` hold delegated scopes by definition (RFC 9068 §2.2.3, RFC 8693 §4.2); no role claim is read.',
        accessTokens: '`aud` must be this server\'s URL (RFC 8707); an ID token\'s `aud` is the client id (OpenID Connect Core §2), so it is refused. Servers that follow RFC 9068 also write `typ: at+jwt`.',
      },
    },
    registration: { dcr: 'uncertain', cimd: 'uncertain', note: 'read from the provider metadata (`doctor` checks it)' },
    resourceIndicators: 'uncertain',
    sharedSecretFix: 'configure the provider to sign access tokens with an RSA or EC key published in its JWKS',
    setup: [],
    uncertain: [],
    docs: ['https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization'],
  },
  {
    id: 'oauth',
    label: 'Any OAuth 2.0 authorization server (RFC 8414 metadata)',
    hint: 'reads /.well-known/oauth-authorization-server; JWT or opaque tokens (RFC 7662)',
    discovery: 'oauth',
    metadataLocation: 'path-inserted',
    issuerExample: 'https://auth.example.com',
    devAuthServer: false,
    inputs: [],
    audience: { values: [], howTo: 'Configure the server to put your MCP server URL (the RFC 8707 `resource`) in `aud`, or set AUTH_AUDIENCE to the value it does use.' },
    token: {
      ...genericToken,
      introspection: 'rfc7662',
      evidence: {
        scopes: '`scope` and `scp` hold delegated scopes by definition (RFC 9068 §2.2.3, RFC 8693 §4.2); no role claim is read.',
        accessTokens: '`aud` must be this server\'s URL (RFC 8707); an ID token\'s `aud` is the client id (OpenID Connect Core §2), so it is refused. Servers that follow RFC 9068 also write `typ: at+jwt`. Opaque tokens: introspection reports only active access tokens (RFC 7662 §2.2).',
      },
    },
    registration: { dcr: 'uncertain', cimd: 'uncertain', note: 'read from the server metadata (`doctor` checks it)' },
    resourceIndicators: 'uncertain',
    sharedSecretFix: 'configure the server to sign access tokens with an RSA or EC key published in its JWKS, or use AUTH_TOKEN_FORMAT=opaque with introspection',
    setup: [],
    uncertain: [],
    docs: ['https://www.rfc-editor.org/rfc/rfc8414', 'https://www.rfc-editor.org/rfc/rfc7662'],
  },
  {
    id: 'logto',
    label: 'Logto (Cloud or OSS)',
    hint: 'issuer {endpoint}/oidc; API resource indicator = MCP URL; EC-signed JWTs',
    discovery: 'oidc',
    metadataLocation: 'path-appended',
    issuerExample: 'https://your-tenant.logto.app/oidc',
    devAuthServer: false,
    inputs: [
      { id: 'endpoint', flag: 'logto-endpoint', label: 'Logto endpoint', example: 'https://your-tenant.logto.app', kind: 'base-url' },
      audienceInput('logto-resource', 'API resource indicator (empty: the MCP server URL)'),
    ],
    issuer: '{endpoint}/oidc',
    audience: { values: ['{audience}'], howTo: 'In Logto Console → API resources, create an API resource whose indicator is exactly your MCP server URL; Logto only issues a JWT when the client sends that `resource`.' },
    // EC by default (curve not confirmed), RSA after a key rotation: allow both families.
    token: {
      format: 'jwt', scopeClaims: ['scope'], clientIdClaims: ['client_id', 'azp'], algorithms: ['ES384', 'ES256', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256'],
      evidence: {
        scopes: '`scope`: the API resource\'s permissions the client requested and the user\'s roles allow (https://docs.logto.io/authorization/global-api-resources).',
        accessTokens: 'A JWT access token is issued only for a `resource` and carries it as `aud`; ID tokens carry the client id (https://docs.logto.io/authorization/validate-access-tokens).',
      },
    },
    registration: { dcr: 'no', cimd: 'yes', note: 'no dynamic registration; Client ID Metadata Documents ("dynamic apps") or a pre-registered third-party app' },
    resourceIndicators: 'yes',
    sharedSecretFix: 'Logto signs with its private keys (Console → Signing keys); an HS256 token did not come from Logto',
    setup: [
      'Logto Console → API resources → Create API resource: indicator = your MCP server URL (exactly, no trailing slash difference).',
      'Add permissions named like your scopes to the API resource, and grant them to the roles of your users.',
      'Enable third-party "dynamic apps" (Client ID Metadata Documents) or create a third-party application for your MCP client.',
    ],
    uncertain: ['EC curve (ES384 vs ES256): every RSA/EC algorithm is allowed', 'typ header: not enforced', 'client id claim: client_id or azp'],
    docs: ['https://docs.logto.io/use-cases/ai/mcp-server-add-auth', 'https://docs.logto.io/authorization/validate-access-tokens'],
  },
  {
    id: 'auth0',
    label: 'Auth0',
    hint: 'issuer https://{domain}/ (trailing slash); audience = API identifier',
    discovery: 'oauth',
    metadataLocation: 'root',
    issuerExample: 'https://dev-abc123.us.auth0.com/',
    devAuthServer: false,
    inputs: [
      { id: 'domain', flag: 'auth0-domain', label: 'Auth0 tenant domain (or custom domain)', example: 'dev-abc123.us.auth0.com', kind: 'host' },
      audienceInput('auth0-audience', 'API identifier (audience; empty: the MCP server URL)'),
    ],
    issuer: 'https://{domain}/',
    audience: { values: ['{audience}'], howTo: 'Create an API whose identifier is your MCP server URL, then enable the Resource Parameter Compatibility Profile (Settings → Advanced) or set it as the tenant Default Audience: MCP clients send `resource`, not `audience`, and otherwise get opaque tokens valid only at /userinfo.' },
    // `permissions` when RBAC + "Add Permissions in the Access Token" are on; RFC 9068 dialect sets client_id, the default azp.
    token: {
      format: 'jwt', scopeClaims: ['scope'], permissionClaims: ['permissions'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256', 'PS256'],
      evidence: {
        scopes: '`scope`: what the client requested, narrowed to the user\'s permissions when RBAC is on. `permissions` lists every permission of the user\'s roles whatever the client asked for, so it only narrows `scope` (https://auth0.com/docs/get-started/apis/enable-role-based-access-control-for-apis).',
        accessTokens: '`aud` = the API identifier (the MCP server URL); ID tokens carry the client id (https://auth0.com/docs/secure/tokens/id-tokens/validate-id-tokens). `typ` depends on the access token profile, so it is not required.',
      },
    },
    registration: { dcr: 'partial', cimd: 'yes', note: 'dynamic registration is off by default (tenant flag); registered clients are third-party apps that need domain-level connections' },
    resourceIndicators: 'partial',
    sharedSecretFix: 'in Auth0 Dashboard → Applications → APIs → your API → Settings, set the Signing Algorithm to RS256',
    setup: [
      'Auth0 Dashboard → Applications → APIs → Create API: Identifier = your MCP server URL, Signing Algorithm RS256, Access Token Profile "RFC 9068 (authz)".',
      'Add your scopes under the API\'s Permissions; optionally enable RBAC and "Add Permissions in the Access Token".',
      'Tenant Settings → Advanced: enable the Resource Parameter Compatibility Profile (or make the API the Default Audience), and "Include Issuer in Authorization Responses".',
      'For dynamic registration: enable it (Tenant Settings → Advanced) and promote the connections your users sign in with to domain level.',
    ],
    uncertain: ['PS256/HS256 availability per API (RS256 and PS256 are allowed, HS256 refused)', 'typ: JWT (Auth0 profile) or at+jwt (RFC 9068 profile), so not enforced'],
    docs: ['https://auth0.com/ai/docs/mcp/intro/metadata-discovery-and-client-registration', 'https://auth0.com/ai/docs/mcp/guides/resource-param-compatibility-profile'],
  },
  {
    id: 'keycloak',
    label: 'Keycloak',
    hint: 'issuer {base}/realms/{realm}; add an Audience mapper for the MCP URL',
    discovery: 'oidc',
    metadataLocation: 'path-appended',
    issuerExample: 'https://kc.example.com/realms/mcp',
    devAuthServer: false,
    inputs: [
      { id: 'baseUrl', flag: 'keycloak-url', label: 'Keycloak base URL (add /auth for Keycloak < 17)', example: 'https://kc.example.com', kind: 'base-url' },
      { id: 'realm', flag: 'keycloak-realm', label: 'Realm name', example: 'mcp', kind: 'segment' },
      audienceInput('keycloak-audience', 'Expected audience (empty: the MCP server URL)'),
    ],
    issuer: '{baseUrl}/realms/{realm}',
    audience: { values: ['{audience}'], howTo: 'Keycloak puts `account` in `aud` by default: add a client scope with an Audience mapper (Included Custom Audience = your MCP server URL) as a default scope, or start Keycloak with --features=resource-indicators.' },
    token: {
      format: 'jwt', scopeClaims: ['scope'], clientIdClaims: ['azp', 'client_id'], algorithms: ASYMMETRIC_ALGORITHMS,
      evidence: {
        scopes: '`scope`: the granted client scopes (defaults plus requested optional ones, after consent); `realm_access` and `resource_access` roles are never read (https://www.keycloak.org/docs/latest/server_admin/#_client_scopes).',
        accessTokens: '`aud` = the MCP server URL through an audience mapper or resource indicators; ID tokens carry the client id. Keycloak also writes a payload `typ` (`Bearer`, `ID`), not required here because lightweight access tokens were not checked.',
      },
    },
    registration: { dcr: 'yes', cimd: 'partial', note: 'anonymous registration is limited by client registration policies (Trusted Hosts, Allowed Client Scopes); CIMD is experimental (--features=cimd)' },
    resourceIndicators: 'partial',
    sharedSecretFix: 'in Realm settings → Keys, make an RSA or EC key the active key for the realm\'s default signature algorithm (Realm settings → Tokens)',
    setup: [
      'Create client scopes named like your scopes (Client scopes → Create, type Default or Optional).',
      'Create a client scope "mcp-audience" with a mapper of type Audience, Included Custom Audience = your MCP server URL, and add it as a Default client scope.',
      'Realm settings → Client registration → Anonymous access policies: allow your MCP clients\' hosts (Trusted Hosts) and scopes (Allowed Client Scopes).',
    ],
    uncertain: [],
    docs: ['https://www.keycloak.org/securing-apps/mcp-authz-server'],
  },
  {
    id: 'okta',
    label: 'Okta (custom authorization server)',
    hint: 'issuer https://{domain}/oauth2/{id}; scp array, cid; set the AS audience to the MCP URL',
    discovery: 'oidc',
    metadataLocation: 'path-appended',
    issuerExample: 'https://dev-123456.okta.com/oauth2/default',
    devAuthServer: false,
    inputs: [
      { id: 'domain', flag: 'okta-domain', label: 'Okta domain', example: 'dev-123456.okta.com', kind: 'host' },
      { id: 'authServerId', flag: 'okta-auth-server', label: 'Custom authorization server id', example: 'default', kind: 'segment', default: 'default' },
      audienceInput('okta-audience', 'Authorization server audience (empty: the MCP server URL)'),
    ],
    issuer: 'https://{domain}/oauth2/{authServerId}',
    audience: { values: ['{audience}'], howTo: 'Okta ignores `resource`: set the custom authorization server\'s Audience to your MCP server URL (Security → API → Authorization Servers). The org authorization server (issuer without /oauth2/…) cannot be used.' },
    token: {
      format: 'jwt', scopeClaims: ['scp'], scopeFormat: 'array', clientIdClaims: ['cid', 'client_id'], algorithms: ['RS256'], requireClientId: true,
      evidence: {
        scopes: '`scp`: the scopes the access policy rule granted, after consent where it is on (https://developer.okta.com/docs/concepts/auth-servers/); `groups` is never read.',
        accessTokens: 'Access tokens carry `cid` (the client) and `aud` = the authorization server\'s audience; ID tokens carry `aud` = the client id (https://developer.okta.com/docs/reference/api/oidc/#access-token).',
      },
    },
    registration: { dcr: 'no', cimd: 'uncertain', note: 'registration needs an admin token: configure a pre-registered client id in your MCP client' },
    resourceIndicators: 'no',
    sharedSecretFix: 'Okta custom authorization servers sign with RS256; an HS256 token did not come from one',
    setup: [
      'Security → API → Authorization Servers: use "default" or add one; set its Audience to your MCP server URL.',
      'Scopes tab: add your scopes. Access Policies tab: add a policy and rule that grants them to your MCP client.',
      'Applications → Create App Integration (OIDC, Single-Page or Native, PKCE): its client id goes into your MCP client.',
    ],
    uncertain: ['CIMD support', 'typ header (not enforced)'],
    docs: ['https://developer.okta.com/docs/concepts/auth-servers/', 'https://developer.okta.com/docs/api/secures-ai/mcp-servers'],
  },
  {
    id: 'entra',
    label: 'Microsoft Entra ID (v2 tokens)',
    hint: 'issuer login.microsoftonline.com/{tenant}/v2.0; aud = app client id; needs the metadata shim',
    discovery: 'oidc',
    metadataLocation: 'path-appended',
    issuerExample: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
    devAuthServer: false,
    inputs: [
      { id: 'tenantId', flag: 'entra-tenant-id', label: 'Directory (tenant) id', example: '72f988bf-86f1-41af-91ab-2d7cd011db47', kind: 'uuid' },
      { id: 'clientId', flag: 'entra-client-id', label: 'Application (client) id of the MCP server\'s app registration', example: '00001111-aaaa-2222-bbbb-3333cccc4444', kind: 'uuid' },
      { id: 'appIdUri', flag: 'entra-app-id-uri', label: 'Application ID URI (Expose an API; empty: api://<client id>)', example: 'https://mcp.example.com/mcp', kind: 'audience', default: 'api://{clientId}' },
    ],
    issuer: 'https://login.microsoftonline.com/{tenantId}/v2.0',
    audience: { values: ['{clientId}'], howTo: 'v2 access tokens carry the application (client) id GUID in `aud`, not the MCP URL. Set "requestedAccessTokenVersion": 2 in the app manifest BEFORE adding the App ID URI, or tokens are v1 (issuer sts.windows.net) and are refused.' },
    // scp is a space-separated string of short names here. App roles (`roles`, app-only tokens) are not read as scopes.
    token: {
      format: 'jwt', scopeClaims: ['scp'], clientIdClaims: ['azp'], algorithms: ['RS256'], requiredClaims: { ver: '2.0' }, requireClientId: true, audienceNames: 'client', scopePrefix: '{appIdUri}/', issuerHint: 'Tokens from https://sts.windows.net/… are v1: set "requestedAccessTokenVersion": 2 in the app registration manifest.',
      evidence: {
        scopes: '`scp`: the scopes the client requested and received consent for, in user tokens only; `roles`, `wids` and `groups` are never read (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).',
        accessTokens: '`aud` is the app\'s client id in access and ID tokens alike. Only v2 access tokens carry `azp`; ID tokens have no `azp`, `appid` or `scp`, and none from /token has `at_hash` (https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference), so `azp` is required.',
      },
    },
    // Clients must request `<App ID URI>/<scope>` (advertised in the metadata); tokens say only `<scope>`.
    defaultScopes: '{appIdUri}/read,{appIdUri}/write',
    registration: { dcr: 'no', cimd: 'no', note: 'no dynamic registration: register a client app and configure its client id in your MCP client' },
    pkceFieldMissing: true,
    resourceIndicators: 'partial',
    sharedSecretFix: 'Entra signs access tokens with RS256; an HS256 token did not come from Entra',
    setup: [
      'App registrations → New registration for the MCP server; note its Application (client) id and Directory (tenant) id.',
      'Manifest: set "requestedAccessTokenVersion": 2 (before the next step).',
      'Expose an API: set the Application ID URI to your MCP server URL (no trailing-slash difference, or AADSTS9010010) and add your scopes.',
      'Register a second app for your MCP client (public client, redirect URI of the client) and grant it the scopes; its client id goes into the MCP client.',
    ],
    uncertain: ['whether `resource` is honoured (Microsoft\'s MCP guide says it is matched to the App ID URI)', 'CIMD'],
    docs: ['https://learn.microsoft.com/en-us/entra/agent-id/secure-mcp-server-with-entra-id', 'https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens'],
  },
  {
    id: 'cognito',
    label: 'Amazon Cognito user pools',
    hint: 'issuer cognito-idp.{region}.amazonaws.com/{pool}; no aud: checks client_id and token_use',
    discovery: 'oidc',
    metadataLocation: 'path-appended',
    issuerExample: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123',
    devAuthServer: false,
    inputs: [
      { id: 'region', flag: 'cognito-region', label: 'AWS region of the user pool', example: 'us-east-1', kind: 'aws-region' },
      { id: 'userPoolId', flag: 'cognito-user-pool-id', label: 'User pool id', example: 'us-east-1_AbCdEf123', kind: 'segment' },
      { id: 'clientIds', flag: 'cognito-client-ids', label: 'App client id(s) allowed to call the server, comma-separated', example: '1h57kf5cpq17m0eml12EXAMPLE', kind: 'id-list' },
    ],
    issuer: 'https://cognito-idp.{region}.amazonaws.com/{userPoolId}',
    audience: { values: ['{clientIds}'], howTo: 'Cognito access tokens have no `aud`: the server checks `client_id` against your app client ids and `token_use` = access. With RFC 8707 resource binding (Essentials/Plus) `aud` is the resource, the MCP server URL, which is accepted too.' },
    token: {
      format: 'jwt', scopeClaims: ['scope'], clientIdClaims: ['client_id'], algorithms: ['RS256'], requiredClaims: { token_use: 'access' }, audienceFallbackClaims: ['client_id'], audienceNames: 'client',
      evidence: {
        scopes: '`scope`: the requested scopes allowed for the app client; `cognito:groups` is never read (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html).',
        accessTokens: '`token_use` is `access` in access tokens and `id` in ID tokens, and is required; `client_id` must be one of your app clients (same page).',
      },
    },
    registration: { dcr: 'no', cimd: 'no', note: 'no dynamic registration: create an app client and configure its id in your MCP client' },
    pkceFieldMissing: true,
    resourceIndicators: 'partial',
    sharedSecretFix: 'Cognito signs with RS256; an HS256 token did not come from Cognito',
    setup: [
      'User pool → App integration → Resource servers: create one (identifier = your MCP server URL) with your scopes; tokens carry them as `<identifier>/<scope>`, so pass those full names with `--scopes`.',
      'Create an app client (public, authorization code grant, PKCE) with the resource server scopes; put its id in AUTH_AUDIENCE.',
      'Set up a user pool domain (managed login): the authorize and token endpoints live there.',
    ],
    uncertain: ['typ header (not enforced)', 'resource binding behaviour with MCP clients (aud is accepted when present)'],
    docs: ['https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html'],
  },
  {
    id: 'google',
    label: 'Google (opaque tokens, checked with tokeninfo)',
    hint: 'opaque access tokens verified at oauth2.googleapis.com/tokeninfo; aud = OAuth client id',
    discovery: 'oidc',
    metadataLocation: 'root',
    issuerExample: 'https://accounts.google.com',
    devAuthServer: false,
    inputs: [
      { id: 'clientIds', flag: 'google-client-ids', label: 'OAuth client id(s) whose tokens are accepted, comma-separated', example: '1234-abc.apps.googleusercontent.com', kind: 'id-list' },
    ],
    issuer: 'https://accounts.google.com',
    audience: { values: ['{clientIds}'], howTo: 'Google access tokens are not bound to your server: tokeninfo reports the OAuth client id as `aud`, and only the client ids you list are accepted.' },
    token: {
      format: 'opaque', introspection: 'google-tokeninfo', scopeClaims: ['scope'], clientIdClaims: ['azp'], algorithms: ['RS256'], audienceNames: 'client',
      evidence: {
        scopes: 'tokeninfo `scope`: the scopes the user consented to (https://developers.google.com/identity/protocols/oauth2).',
        accessTokens: 'Opaque access tokens are checked with tokeninfo\'s `access_token` form; its `aud` is the OAuth client id, accepted only when listed.',
      },
    },
    defaultScopes: 'openid,email',
    registration: { dcr: 'no', cimd: 'no', note: 'no dynamic registration and no custom scopes: configure a Google OAuth client id in your MCP client' },
    resourceIndicators: 'no',
    sharedSecretFix: 'Google access tokens are opaque; send the access token, not an ID token',
    setup: [
      'Google Cloud Console → APIs & Services → Credentials → Create OAuth client id; its id goes into AUTH_AUDIENCE and into your MCP client.',
      'Google has no custom scopes: the tools require Google scopes (default `openid` and `email`).',
    ],
    uncertain: ['RFC 8414 absence'],
    docs: ['https://developers.google.com/identity/protocols/oauth2'],
  },
  {
    id: 'descope',
    label: 'Descope (Agentic Identity Hub)',
    hint: 'one issuer per MCP server: api.descope.com/v1/apps/agentic/{project}/{server}',
    discovery: 'oidc',
    metadataLocation: 'path-appended',
    issuerExample: 'https://api.descope.com/v1/apps/agentic/P2abc/MS2abc',
    devAuthServer: false,
    inputs: [
      { id: 'projectId', flag: 'descope-project-id', label: 'Project id', example: 'P32juVkF2iM8wAGoM8PiLkGi6POV', kind: 'segment' },
      { id: 'mcpServerId', flag: 'descope-mcp-server-id', label: 'MCP server id (Agentic Identity Hub)', example: 'MS35d1Xw1Yo6zozsW7n8BU6xLmnAs', kind: 'segment' },
    ],
    issuer: 'https://api.descope.com/v1/apps/agentic/{projectId}/{mcpServerId}',
    audience: { values: [], howTo: 'Set the MCP server\'s "MCP Server URL" in the Agentic Identity Hub to your MCP server URL: it becomes `aud`.' },
    token: {
      format: 'jwt', scopeClaims: ['scope'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256', 'ES256', 'ES384', 'PS256'],
      evidence: {
        scopes: '`scope`: the scopes granted to the client for this MCP server on Descope\'s consent page (not confirmed by a claims reference; https://docs.descope.com/mcp).',
        accessTokens: 'Tokens for an MCP server have that server\'s issuer and `aud` = its MCP Server URL, which project session JWTs do not carry (not confirmed by a claims reference).',
      },
    },
    registration: { dcr: 'yes', cimd: 'yes', note: 'dynamic registration and Client ID Metadata Documents, per MCP server' },
    resourceIndicators: 'partial',
    sharedSecretFix: 'Descope signs with the project key set; an HS256 token did not come from Descope',
    setup: [
      'Agentic Identity Hub → MCP Servers → Create: MCP Server URL = your MCP server URL; add your scopes.',
      'Enable Dynamic Client Registration and/or Client ID Metadata Documents for it.',
    ],
    uncertain: ['scope and client id claim names (both forms read)', 'RFC 8414 path'],
    docs: ['https://docs.descope.com/agentic-identity-hub/core-components/mcp-servers'],
  },
  {
    id: 'stytch',
    label: 'Stytch Connected Apps',
    hint: 'issuer = project domain (stytch.com/{project} also accepted); aud = project id',
    discovery: 'oauth',
    metadataLocation: 'root',
    issuerExample: 'https://example-domain-1234.customers.stytch.dev',
    devAuthServer: false,
    inputs: [
      { id: 'projectId', flag: 'stytch-project-id', label: 'Project id', example: 'project-test-00000000-0000-0000-0000-000000000000', kind: 'segment' },
      { id: 'projectDomain', flag: 'stytch-domain', label: 'Project domain (or custom domain)', example: 'https://example-domain-1234.customers.stytch.dev', kind: 'base-url' },
    ],
    issuer: '{projectDomain}',
    audience: { values: ['{projectId}'], howTo: 'Stytch puts your project id in `aud`, shared by every token of the project; set the Connected Apps access token custom audience to your MCP server URL and put it in AUTH_AUDIENCE to bind tokens to this server.' },
    token: {
      format: 'jwt', scopeClaims: ['scope'], clientIdClaims: ['client_id'], algorithms: ['RS256'], extraIssuers: ['stytch.com/{projectId}'], requireClientId: true, forbiddenClaims: ['https://stytch.com/session'], audienceNames: 'project',
      evidence: {
        scopes: '`scope`: the authorization granted to the Connected App client, a subset of the user\'s permissions (https://stytch.com/docs/api-reference/b2b/api/connected-apps/tokens/connected-app-access-token-object).',
        accessTokens: 'Session JWTs, M2M tokens and Connected App access tokens share the issuer, the keys and `aud` (the project id) (stytchauth/stytch-node lib/b2c/sessions.ts, idp.ts, m2m.ts). Only access tokens carry `client_id`, required here; only session JWTs carry `https://stytch.com/session`, refused.',
      },
    },
    registration: { dcr: 'yes', cimd: 'uncertain', note: 'dynamic registration once enabled in Connected Apps settings; you host the consent page' },
    resourceIndicators: 'uncertain',
    sharedSecretFix: 'Stytch signs with RS256; an HS256 token did not come from Stytch',
    setup: [
      'Dashboard → Connected Apps: enable Dynamic Client Registration and set the Authorization URL to your consent page (Stytch IdentityProvider component).',
      'Define your scopes as custom scopes in Connected Apps settings.',
    ],
    uncertain: ['which `iss` form a project emits (both accepted)', '`aud`: project id or client id'],
    docs: ['https://stytch.com/docs/connected-apps/guides/mcp-auth-overview'],
  },
  {
    id: 'workos',
    label: 'WorkOS AuthKit',
    hint: 'issuer https://{sub}.authkit.app; register the MCP URL as a resource indicator',
    discovery: 'oauth',
    metadataLocation: 'root',
    issuerExample: 'https://example-123.authkit.app',
    devAuthServer: false,
    inputs: [
      { id: 'authkitDomain', flag: 'workos-authkit-domain', label: 'AuthKit domain', example: 'https://example-123.authkit.app', kind: 'base-url' },
    ],
    issuer: '{authkitDomain}',
    audience: { values: [], howTo: 'WorkOS Dashboard → Connect → Configuration: add your MCP server URL as a resource indicator for the environment, or `aud` will not match.' },
    token: {
      format: 'jwt', scopeClaims: ['scope'], permissionClaims: ['permissions'], clientIdClaims: ['client_id'], algorithms: ['RS256', 'ES256', 'PS256'], requireClientId: true,
      evidence: {
        scopes: '`scope`: the granted scopes of Connect tokens (https://workos.com/docs/authkit/connect/token-claims). `permissions` comes from the user\'s role in AuthKit session tokens (https://workos.com/docs/reference/authkit/session-tokens), so it only narrows.',
        accessTokens: 'Connect tokens carry `client_id` and `aud` = the resource; AuthKit session tokens name no client (same pages), so `client_id` is required.',
      },
    },
    registration: { dcr: 'yes', cimd: 'yes', note: 'Client ID Metadata Documents; dynamic registration (legacy) once enabled' },
    resourceIndicators: 'yes',
    sharedSecretFix: 'AuthKit signs with RS256; an HS256 token did not come from AuthKit',
    setup: [
      'Dashboard → Connect → Configuration: enable Client ID Metadata Documents (and Dynamic Client Registration for older clients).',
      'Add your MCP server URL as a resource indicator; define permissions named like your scopes.',
    ],
    uncertain: ['scope and client id claim names (scope and permissions both read)'],
    docs: ['https://workos.com/docs/authkit/mcp'],
  },
  {
    id: 'clerk',
    label: 'Clerk',
    hint: 'issuer = Frontend API URL; typ at+jwt keeps session tokens out',
    discovery: 'oauth',
    metadataLocation: 'root',
    issuerExample: 'https://verb-noun-12.clerk.accounts.dev',
    devAuthServer: false,
    inputs: [
      { id: 'frontendApiUrl', flag: 'clerk-frontend-api', label: 'Frontend API URL', example: 'https://verb-noun-12.clerk.accounts.dev', kind: 'base-url' },
    ],
    issuer: '{frontendApiUrl}',
    // Whether Clerk's OAuth tokens carry `aud` is not confirmed: `aud` stays required (the safe default) and
    // AUTH_AUDIENCE_OPTIONAL=1 is the explicit, documented opt-out if `doctor --token` shows yours have none.
    audience: { values: [], howTo: 'Clerk may issue OAuth access tokens without `aud` (not confirmed for its MCP server feature). Run `doctor --token <token>`: if yours carry none, set AUTH_AUDIENCE_OPTIONAL=1, which then accepts any OAuth access token of your instance that has the scopes. Enable "Generate access tokens as JWTs" on apps created before 2026-01-08.' },
    token: {
      format: 'jwt', scopeClaims: ['scope', 'scp'], clientIdClaims: ['client_id'], algorithms: ['RS256'], requiredTyp: 'at+jwt', requireClientId: true,
      evidence: {
        scopes: '`scope`: the granted OAuth scopes (https://clerk.com/changelog/2026-01-08-jwt-oauth-access-tokens); organization role claims (`o.rol`, `o.per`) are never read.',
        accessTokens: 'OAuth JWT access tokens have `typ: at+jwt` (clerk/javascript packages/backend/src/tokens/machine.ts); session tokens carry `azp` = the browser origin, so `azp` is never read as the client (https://clerk.com/docs/guides/sessions/session-tokens).',
      },
    },
    registration: { dcr: 'yes', cimd: 'uncertain', note: 'dynamic registration once enabled (Configure → OAuth applications)' },
    resourceIndicators: 'uncertain',
    sharedSecretFix: 'Clerk signs with RS256; an HS256 token did not come from Clerk',
    setup: [
      'Dashboard → Configure → OAuth applications: enable Dynamic client registration.',
      'Apps created before 2026-01-08: enable "Generate access tokens as JWTs" (opaque oat_ tokens are refused).',
    ],
    uncertain: ['audience binding (aud required unless AUTH_AUDIENCE_OPTIONAL=1)', 'CIMD'],
    docs: ['https://clerk.com/docs/guides/development/mcp/build-mcp-server', 'https://clerk.com/changelog/2026-01-08-jwt-oauth-access-tokens'],
  },
  {
    id: 'zitadel',
    label: 'ZITADEL',
    hint: 'opaque tokens by default (introspection with an API app); aud = project id',
    discovery: 'oidc',
    metadataLocation: 'root',
    issuerExample: 'https://my-instance-abc123.zitadel.cloud',
    devAuthServer: false,
    inputs: [
      { id: 'instanceUrl', flag: 'zitadel-url', label: 'Instance URL', example: 'https://my-instance-abc123.zitadel.cloud', kind: 'base-url' },
      { id: 'projectId', flag: 'zitadel-project-id', label: 'Project id', example: '276425036934545475', kind: 'segment' },
    ],
    issuer: '{instanceUrl}',
    audience: { values: ['{projectId}'], howTo: 'ZITADEL puts the project id in `aud` when the client requests the reserved scope urn:zitadel:iam:org:project:id:{projectId}:aud.' },
    token: {
      format: 'opaque', introspection: 'rfc7662', scopeClaims: ['scope'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256'], audienceNames: 'project',
      evidence: {
        scopes: 'Introspection `scope`: the granted scopes; role claims (`urn:zitadel:iam:org:project:roles`) are never read (https://zitadel.com/docs/apis/openidoauth/claims).',
        accessTokens: 'Opaque tokens are checked by introspection, which answers `active` for access tokens only (RFC 7662 §2.2); `aud` is the project id.',
      },
    },
    registration: { dcr: 'partial', cimd: 'uncertain', note: 'dynamic registration exists but is off by default' },
    resourceIndicators: 'uncertain',
    sharedSecretFix: 'ZITADEL signs with RS256; an HS256 token did not come from ZITADEL',
    setup: [
      'Create a project and, in it, an API application (authentication method Basic): its client id and secret go into AUTH_INTROSPECTION_CLIENT_ID / AUTH_INTROSPECTION_CLIENT_SECRET.',
      'Create the MCP client application (User Agent or Native, PKCE); to use JWTs instead of introspection, set its Auth Token Type to JWT and AUTH_TOKEN_FORMAT=jwt.',
      'Add urn:zitadel:iam:org:project:id:{projectId}:aud to the scopes your MCP client requests, or `aud` lacks the project id.',
    ],
    uncertain: ['scope claim name', 'token type of dynamically registered clients', 'RFC 8414 and RFC 8707'],
    docs: ['https://zitadel.com/docs/apis/openidoauth/claims', 'https://zitadel.com/docs/guides/integrate/dynamic-client-registration'],
  },
  {
    id: 'authentik',
    label: 'authentik',
    hint: 'issuer {base}/application/o/{slug}/ (trailing slash); choose a signing key',
    discovery: 'oidc',
    metadataLocation: 'path-appended',
    issuerExample: 'https://authentik.example.com/application/o/mcp-server/',
    devAuthServer: false,
    inputs: [
      { id: 'baseUrl', flag: 'authentik-url', label: 'authentik URL', example: 'https://authentik.example.com', kind: 'base-url' },
      { id: 'appSlug', flag: 'authentik-app-slug', label: 'Application slug', example: 'mcp-server', kind: 'segment' },
      { id: 'clientId', flag: 'authentik-client-id', label: 'OAuth2 provider client id', example: 'abc123', kind: 'segment' },
    ],
    issuer: '{baseUrl}/application/o/{appSlug}/',
    audience: { values: ['{clientId}'], howTo: 'authentik puts the provider\'s client id in `aud`, not the MCP URL.' },
    token: {
      format: 'jwt', scopeClaims: ['scope'], clientIdClaims: ['azp'], algorithms: RSA_EC, requireClientId: true, audienceNames: 'client',
      evidence: {
        scopes: '`scope`: the grant\'s scopes, which authentik writes only through a scope mapping (goauthentik/authentik issue 6668); other mapped claims such as `groups` are never read.',
        accessTokens: 'Access tokens are the ID token\'s claims plus `azp` (the provider\'s client id); ID tokens have no `azp` (authentik/providers/oauth2/id_token.py), so `azp` is required.',
      },
    },
    registration: { dcr: 'partial', cimd: 'uncertain', note: 'registration (2026.8+) needs a bearer token: configure a pre-registered client id in your MCP client' },
    resourceIndicators: 'uncertain',
    sharedSecretFix: 'in authentik → Providers → your OAuth2 provider, select a Signing Key (RSA or EC); without one tokens are HS256 with the client secret',
    setup: [
      'Applications → Providers → Create OAuth2/OpenID provider: client type Public, a Signing Key selected (required), scope mappings for your scopes.',
      'Applications → Create, with the slug you passed, bound to that provider.',
    ],
    uncertain: ['aud, scope and client id claim names', 'RFC 8414, RFC 8707, CIMD'],
    docs: ['https://docs.goauthentik.io/add-secure-apps/providers/oauth2/'],
  },
  {
    id: 'ory',
    label: 'Ory Network / Ory Hydra',
    hint: 'opaque tokens by default (introspection); scp array',
    discovery: 'oauth',
    metadataLocation: 'root',
    issuerExample: 'https://your-slug.projects.oryapis.com',
    devAuthServer: false,
    inputs: [
      // Self-hosted Hydra often ends its issuer with "/": take it exactly as the metadata writes it.
      { id: 'issuer', flag: 'ory-issuer', label: 'Issuer URL, exactly as in the metadata (Hydra often ends in /)', example: 'https://your-slug.projects.oryapis.com', kind: 'issuer' },
      audienceInput('ory-audience', 'Audience (empty: the MCP server URL)'),
    ],
    issuer: '{issuer}',
    audience: { values: ['{audience}'], howTo: 'Ory sets `aud` only to audiences the client requests with `audience` and is allowed to: add your MCP server URL to each client\'s allowed audiences (dynamically registered clients start with none) or set it in a token hook.' },
    token: {
      format: 'opaque', introspection: 'rfc7662', scopeClaims: ['scp', 'scope'], scopeFormat: 'array', clientIdClaims: ['client_id'], algorithms: ['RS256', 'ES256'], requireClientId: true,
      evidence: {
        scopes: '`scp` (or `scope`): the `grant_scope` accepted at consent (ory/hydra issue 3524); `ext` claims are never read.',
        accessTokens: 'Opaque tokens are checked by introspection, which answers `active` for access tokens only and names their `client_id` (https://www.ory.sh/docs/hydra/reference/api).',
      },
    },
    registration: { dcr: 'yes', cimd: 'uncertain', note: 'dynamic registration once enabled (oauth2.client_registration)' },
    resourceIndicators: 'no',
    sharedSecretFix: 'Ory signs JWT access tokens with its JWKS keys; an HS256 token did not come from Ory',
    setup: [
      'Enable dynamic client registration (Ory Console → OAuth2 → Configuration, or Hydra oidc.dynamic_client_registration.enabled).',
      'Introspection: Ory Network needs an API key (AUTH_INTROSPECTION_TOKEN=ory_pat_…); Hydra uses its admin endpoint (set AUTH_INTROSPECTION_ENDPOINT).',
      'Or switch access tokens to JWT (strategies.access_token=jwt) and set AUTH_TOKEN_FORMAT=jwt.',
    ],
    uncertain: ['RFC 8707', 'CIMD', 'ES256 keys'],
    docs: ['https://www.ory.sh/docs/oauth2-oidc/jwt-access-token'],
  },
  {
    id: 'scalekit',
    label: 'Scalekit (MCP Auth)',
    hint: 'issuer {env}/resources/{res_id}; aud = resource id',
    discovery: 'oauth',
    metadataLocation: 'path-inserted',
    issuerExample: 'https://your-env.scalekit.com/resources/res_92015146095',
    devAuthServer: false,
    inputs: [
      { id: 'environmentUrl', flag: 'scalekit-env-url', label: 'Environment URL', example: 'https://your-env.scalekit.com', kind: 'base-url' },
      { id: 'resourceId', flag: 'scalekit-resource-id', label: 'MCP server resource id', example: 'res_92015146095', kind: 'segment' },
    ],
    issuer: '{environmentUrl}/resources/{resourceId}',
    // Older integrations used the MCP URL as audience, newer ones the res_ id: both are accepted.
    audience: { values: ['{resourceId}'], howTo: 'Register the MCP server in Scalekit with its resource identifier = your MCP server URL; tokens carry the res_ id (and sometimes the URL) in `aud`.' },
    token: {
      format: 'jwt', scopeClaims: ['scope', 'scp'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256', 'ES256', 'PS256'], extraIssuers: ['{environmentUrl}'],
      evidence: {
        scopes: '`scope`: the scopes granted for the MCP server (claim names not confirmed; https://docs.scalekit.com/mcp/overview).',
        accessTokens: '`aud` = the MCP server\'s resource id, which other tokens of the environment do not carry (not confirmed).',
      },
    },
    registration: { dcr: 'yes', cimd: 'yes', note: 'dynamic registration and Client ID Metadata Documents, toggled per MCP server' },
    resourceIndicators: 'yes',
    sharedSecretFix: 'Scalekit signs with its environment keys; an HS256 token did not come from Scalekit',
    setup: [
      'Dashboard → MCP Servers → Add: Server URL = your MCP server URL; note the resource id (res_…).',
      'Enable Dynamic Client Registration and/or Client ID Metadata Documents; add your scopes.',
    ],
    uncertain: ['discovery path', 'claim names', 'algorithm', 'issuer form (bare and resource-scoped both accepted)'],
    docs: ['https://docs.scalekit.com/authenticate/mcp/quickstart'],
  },
  {
    id: 'asgardeo',
    label: 'Asgardeo / WSO2 Identity Server',
    hint: 'issuer is the token endpoint (…/oauth2/token); opaque tokens by default',
    discovery: 'oidc',
    metadataLocation: 'path-appended',
    issuerExample: 'https://api.asgardeo.io/t/myorg/oauth2/token',
    devAuthServer: false,
    inputs: [
      { id: 'org', flag: 'asgardeo-org', label: 'Organization name (for WSO2 IS pass --issuer https://host/oauth2/token instead)', example: 'myorg', kind: 'segment' },
      audienceInput('asgardeo-audience', 'MCP server identifier (empty: the MCP server URL)'),
    ],
    issuer: 'https://api.asgardeo.io/t/{org}/oauth2/token',
    audience: { values: ['{audience}'], howTo: 'Register the MCP server (Resources → MCP servers) with its identifier = your MCP server URL: it becomes `aud`.' },
    token: {
      format: 'opaque', introspection: 'rfc7662', scopeClaims: ['scope'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256', 'PS256', 'ES256'],
      evidence: {
        scopes: 'Introspection `scope`: the granted scopes (https://wso2.com/asgardeo/docs/guides/authorization/api-authorization/).',
        accessTokens: 'Opaque tokens are checked by introspection, which answers `active` for access tokens only (RFC 7662 §2.2); `aud` = the registered MCP server identifier.',
      },
    },
    registration: { dcr: 'partial', cimd: 'uncertain', note: 'the registration endpoint is protected: register your MCP client app in the console' },
    resourceIndicators: 'uncertain',
    sharedSecretFix: 'Asgardeo signs JWT access tokens with RS256; an HS256 token did not come from Asgardeo',
    setup: [
      'Resources → MCP servers → New: identifier = your MCP server URL, with your scopes.',
      'Register your MCP client app (Applications → New → MCP client application) and authorize it for the MCP server scopes.',
      'Introspection needs a confidential application: its client id and secret go into AUTH_INTROSPECTION_CLIENT_ID / _SECRET. Or set the client app\'s Access Token type to JWT and AUTH_TOKEN_FORMAT=jwt.',
    ],
    uncertain: ['RFC 8707 mechanism', 'CIMD', 'claim names'],
    docs: ['https://wso2.com/asgardeo/docs/guides/agentic-ai/mcp/mcp-server-authorization/'],
  },
  {
    id: 'supabase',
    label: 'Supabase Auth (OAuth 2.1 server)',
    hint: 'issuer https://{ref}.supabase.co/auth/v1; aud = authenticated; asymmetric keys required',
    discovery: 'oauth',
    metadataLocation: 'path-inserted',
    issuerExample: 'https://abcdefghijklmnopqrst.supabase.co/auth/v1',
    devAuthServer: false,
    inputs: [
      { id: 'projectRef', flag: 'supabase-project-ref', label: 'Project ref', example: 'abcdefghijklmnopqrst', kind: 'segment' },
    ],
    issuer: 'https://{projectRef}.supabase.co/auth/v1',
    audience: { values: ['authenticated'], howTo: 'Supabase puts `authenticated` in `aud` (change it with a Custom Access Token Hook); the server also requires `client_id`, which only OAuth tokens carry, so first-party session tokens are refused.' },
    token: {
      format: 'jwt', scopeClaims: ['scope'], clientIdClaims: ['client_id'], algorithms: ['ES256', 'RS256'], requireClientId: true, audienceNames: 'project',
      evidence: {
        scopes: '`scope`: the OAuth session\'s scopes (supabase/auth internal/tokens/service.go).',
        accessTokens: 'Every access token of the project has `aud: authenticated`; only OAuth sessions carry `client_id` (same file), so first-party session tokens are refused. Tokens of the project\'s other OAuth clients are not: bind tokens to this server with a Custom Access Token Hook that sets `aud` to the MCP server URL, then set AUTH_AUDIENCE to it.',
      },
    },
    defaultScopes: 'openid,email',
    registration: { dcr: 'yes', cimd: 'uncertain', note: 'dynamic registration once enabled (Authentication → OAuth Server); you host the consent page' },
    resourceIndicators: 'no',
    sharedSecretFix: 'your project signs with the legacy JWT secret (HS256): in Project Settings → JWT Keys, migrate to asymmetric signing keys (ES256 or RS256)',
    setup: [
      'Authentication → OAuth Server: enable it, enable dynamic client registration, and set the authorization path to your consent page.',
      'Project Settings → JWT Keys: use asymmetric signing keys (legacy HS256 secrets cannot be verified with a JWKS).',
      'Supabase has no custom scopes: the tools require OIDC scopes (default `openid` and `email`); authorize further by `client_id` or row-level security.',
    ],
    uncertain: ['OIDC discovery path', 'scope claim', 'CIMD'],
    docs: ['https://supabase.com/docs/guides/auth/oauth-server/mcp-authentication', 'https://supabase.com/docs/guides/auth/oauth-server/token-security'],
  },
  {
    id: 'better-auth',
    label: 'Better Auth (OAuth 2.1 Provider + MCP plugin)',
    hint: 'issuer {origin}{basePath}; EdDSA-signed at+jwt',
    discovery: 'oauth',
    metadataLocation: 'path-inserted',
    issuerExample: 'https://auth.example.com/api/auth',
    devAuthServer: false,
    inputs: [
      { id: 'baseUrl', flag: 'better-auth-url', label: 'Better Auth app origin', example: 'https://auth.example.com', kind: 'base-url' },
      { id: 'basePath', flag: 'better-auth-base-path', label: 'Better Auth base path', example: '/api/auth', kind: 'path', default: '/api/auth' },
    ],
    issuer: '{baseUrl}{basePath}',
    audience: { values: [], howTo: 'Add your MCP server URL to the OAuth provider plugin\'s valid audiences (resources): `aud` is the requested resource.' },
    token: {
      format: 'jwt', scopeClaims: ['scope'], clientIdClaims: ['azp', 'client_id'], algorithms: ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'], requiredTyp: 'at+jwt', requireClientId: true,
      evidence: {
        scopes: '`scope`: the scopes granted to the client, written last by the authorization server (better-auth packages/oauth-provider/src/token.ts).',
        accessTokens: 'Access tokens have `typ: at+jwt` and `client_id`/`azp`; ID tokens and the jwt plugin\'s session JWTs have neither (packages/oauth-provider/src/introspect.ts).',
      },
    },
    registration: { dcr: 'partial', cimd: 'yes', note: 'Client ID Metadata Documents via the plugin; dynamic registration is opt-in' },
    resourceIndicators: 'yes',
    sharedSecretFix: 'enable the jwt plugin so access tokens are signed with its key pair (EdDSA by default)',
    setup: [
      'Install the OAuth 2.1 Provider plugin with the jwt plugin and @better-auth/mcp; list your MCP server URL as a valid audience and your scopes.',
      'Mount /.well-known/oauth-authorization-server{basePath} at the app root (MCP clients try it first).',
    ],
    uncertain: ['introspection path', 'RFC 8414 mount wording'],
    docs: ['https://better-auth.com/docs/plugins/mcp', 'https://better-auth.com/docs/plugins/oauth-provider/resource-server'],
  },
  {
    id: 'fusionauth',
    label: 'FusionAuth (>= 1.67)',
    hint: 'issuer = tenant issuer setting; aud = application id (or the MCP URL with resource)',
    discovery: 'oidc',
    metadataLocation: 'root',
    issuerExample: 'https://auth.example.com',
    devAuthServer: false,
    inputs: [
      { id: 'issuer', flag: 'fusionauth-issuer', label: 'Tenant issuer (Tenants → General → Issuer; make it your FusionAuth URL)', example: 'https://auth.example.com', kind: 'issuer' },
      { id: 'clientId', flag: 'fusionauth-client-id', label: 'Application (client) id', example: '85a03867-dccf-4882-adde-1a79aeec50df', kind: 'uuid' },
    ],
    issuer: '{issuer}',
    // With `resource` (>= 1.67) aud may be the MCP URL (uncertain): the MCP URL is always accepted besides the client id.
    audience: { values: ['{clientId}'], howTo: 'FusionAuth puts the application id in `aud`; with the `resource` parameter (1.67+) it may be the MCP server URL, which is accepted too.' },
    token: {
      format: 'jwt', scopeClaims: ['scope'], clientIdClaims: ['applicationId'], algorithms: RSA_EC, requireClientId: true, audienceNames: 'client',
      evidence: {
        scopes: '`scope` (1.50+): the validated and consented OAuth scopes; `roles` is never read (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens).',
        accessTokens: 'Every FusionAuth JWT has `typ: JWT`, and ID tokens share `aud` (the client id) and even `scope`. Access tokens carry `applicationId` when the user is registered for the application, ID tokens no longer do (1.24+), so it is required.',
      },
    },
    registration: { dcr: 'no', cimd: 'no', note: 'no dynamic registration: configure the application\'s client id in your MCP client' },
    resourceIndicators: 'yes',
    sharedSecretFix: 'in Applications → your app → JWT, set the Access token signing key to an RSA or EC key (HS256 keys are not published in the JWKS)',
    setup: [
      'Tenants → General: set Issuer to your FusionAuth URL (https).',
      'Applications → Add: enable PKCE (required), authorization code grant, and under JWT an RSA/EC access token signing key.',
      'Custom scopes (a paid feature) named like your scopes; roles are not read as scopes.',
      'Register your users for the application (or enable self-service registration): only then do access tokens carry `applicationId`, which this server requires to tell them from ID tokens.',
    ],
    uncertain: ['discovery URL form', 'default issuer', '`aud` when resource is used', 'default signing algorithm'],
    docs: ['https://fusionauth.io/docs/extend/examples/controlling-access-mcp-server'],
  },
  {
    id: 'pingone',
    label: 'PingOne',
    hint: 'issuer https://auth.pingone.{tld}/{envId}/as; aud = custom resource audience',
    discovery: 'oidc',
    metadataLocation: 'path-appended',
    issuerExample: 'https://auth.pingone.com/00000000-0000-0000-0000-000000000000/as',
    devAuthServer: false,
    inputs: [
      { id: 'regionTld', flag: 'pingone-region', label: 'Region domain suffix', example: 'com', kind: 'choice', choices: ['com', 'eu', 'ca', 'asia', 'com.au', 'sg'] },
      { id: 'environmentId', flag: 'pingone-environment-id', label: 'Environment id', example: 'abcd1234-0000-0000-0000-000000000000', kind: 'uuid' },
      audienceInput('pingone-audience', 'Custom resource audience (empty: the MCP server URL)'),
    ],
    issuer: 'https://auth.pingone.{regionTld}/{environmentId}/as',
    audience: { values: ['{audience}'], howTo: 'Create a custom resource (Applications → Resources) whose audience is your MCP server URL; clients get it by requesting that resource\'s scopes.' },
    token: {
      format: 'jwt', scopeClaims: ['scope'], clientIdClaims: ['client_id'], algorithms: ['RS256'], requireClientId: true,
      evidence: {
        scopes: '`scope`: the granted scopes of the custom resource; `p1.permissions` is never read (https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/access-tokens-and-id-tokens/token-claims.html).',
        accessTokens: 'Access tokens carry `client_id` and `aud` = the resource\'s audience; ID tokens have `aud` = the client id (same page).',
      },
    },
    registration: { dcr: 'uncertain', cimd: 'uncertain', note: 'configure a pre-registered client id in your MCP client unless `doctor` finds a registration endpoint' },
    resourceIndicators: 'uncertain',
    sharedSecretFix: 'PingOne signs with RS256; an HS256 token did not come from PingOne',
    setup: [
      'Applications → Resources → Add: audience = your MCP server URL, with your scopes (do not mix them with PingOne API scopes in one request).',
      'Applications → Add (OIDC, PKCE S256 required); grant it the resource scopes; its client id goes into your MCP client.',
    ],
    uncertain: ['DCR', 'RFC 8707', 'RFC 8414', 'CIMD', 'typ at+jwt (always from 2027-03-02; not enforced)'],
    docs: ['https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/access-tokens-and-id-tokens/token-claims.html'],
  },
] as const satisfies readonly ProviderPreset[];

export type ProviderId = (typeof providers)[number]['id'];

/** The row for `id`; ids come from validated answers, so a miss is a bug. */
export function getProvider(id: ProviderId): ProviderPreset {
  const row = providers.find((p) => p.id === id);
  if (!row) throw new Error(`unknown provider ${id}`);
  return row;
}
