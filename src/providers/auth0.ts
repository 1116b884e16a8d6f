import { audienceInput, oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'auth0',
  label: 'Auth0',
  hint: 'issuer https://{domain}/ (trailing slash); audience = API identifier',
  discovery: 'oauth',
  metadataLocation: 'root',
  issuerExample: 'https://dev-abc123.us.auth0.com/',
  inputs: [
    { id: 'domain', flag: 'auth0-domain', label: 'Auth0 tenant domain (or custom domain)', example: 'dev-abc123.us.auth0.com', kind: 'host' },
    audienceInput('auth0-audience', 'API identifier (audience; empty: the MCP server URL)'),
  ],
  issuer: 'https://{domain}/',
  audience: { values: ['{audience}'], howTo: 'Create an API whose identifier is your MCP server URL, then enable the Resource Parameter Compatibility Profile (Settings → Advanced) or set it as the tenant Default Audience: MCP clients send `resource`, not `audience`, and otherwise get opaque tokens valid only at /userinfo.' },
  // `permissions` when RBAC + "Add Permissions in the Access Token" are on; RFC 9068 dialect sets client_id, the default azp.
  token: {
    unsupportedFormats: { opaque: 'Auth0 has no introspection endpoint: its opaque access tokens are valid only at /userinfo (give the API an audience and its tokens are JWTs)' },
    scopeClaims: ['scope'], permissionClaims: ['permissions'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256', 'PS256'],
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
  broker: oidcBroker({
    upstreamScopes: 'openid profile email offline_access',
    evidence: 'offline_access: Auth0 issues a refresh token only when it is requested (and Allow Offline Access is on for an API audience) (https://auth0.com/docs/secure/tokens/refresh-tokens/get-refresh-tokens).',
  }),
  docs: ['https://auth0.com/ai/docs/mcp/intro/metadata-discovery-and-client-registration', 'https://auth0.com/ai/docs/mcp/guides/resource-param-compatibility-profile'],
});
