import { audienceInput, oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'okta',
  label: 'Okta (custom authorization server)',
  hint: 'issuer https://{domain}/oauth2/{id}; scp array, cid; set the AS audience to the MCP URL',
  metadataLocation: 'path-appended',
  issuerExample: 'https://dev-123456.okta.com/oauth2/default',
  inputs: [
    { id: 'domain', flag: 'okta-domain', label: 'Okta domain', example: 'dev-123456.okta.com', kind: 'host' },
    { id: 'authServerId', flag: 'okta-auth-server', label: 'Custom authorization server id', example: 'default', kind: 'segment', default: 'default' },
    audienceInput('okta-audience', 'Authorization server audience (empty: the MCP server URL)'),
  ],
  issuer: 'https://{domain}/oauth2/{authServerId}',
  audience: { values: ['{audience}'], howTo: 'Okta ignores `resource`: set the custom authorization server\'s Audience to your MCP server URL (Security → API → Authorization Servers). The org authorization server (issuer without /oauth2/…) cannot be used.' },
  token: {
    scopeClaims: ['scp'], scopeFormat: 'array', clientIdClaims: ['cid', 'client_id'], algorithms: ['RS256'], requireClientId: true,
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
  broker: oidcBroker({
    default: true,
    upstreamScopes: 'openid profile email offline_access',
    setup: [
      'Applications → Create App Integration → OIDC, Web Application; grant types Authorization Code and Refresh Token; Sign-in redirect URI {callbackUrl}; assign the users or groups who may sign in.',
      'Security → API → Authorization Servers → your server → Access Policies: a policy and rule that allow this app the authorization code grant and the scopes openid, profile, email, offline_access.',
      'Its Client ID goes into AUTH_CLIENT_ID and its Client secret into AUTH_CLIENT_SECRET.',
    ],
    evidence: 'offline_access: Okta issues a refresh token only when it is requested and the app allows the Refresh Token grant (https://developer.okta.com/docs/guides/refresh-tokens/main/). MCP clients cannot register at Okta (providers.json `supports.dcr`).',
  }),
  docs: ['https://developer.okta.com/docs/concepts/auth-servers/', 'https://developer.okta.com/docs/api/secures-ai/mcp-servers'],
});
