import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'better-auth',
  label: 'Better Auth (OAuth 2.1 Provider + MCP plugin)',
  hint: 'issuer {origin}{basePath}; EdDSA-signed at+jwt',
  discovery: 'oauth',
  metadataLocation: 'path-inserted',
  issuerExample: 'https://auth.example.com/api/auth',
  inputs: [
    { id: 'baseUrl', flag: 'better-auth-url', label: 'Better Auth app origin', example: 'https://auth.example.com', kind: 'base-url' },
    { id: 'basePath', flag: 'better-auth-base-path', label: 'Better Auth base path', example: '/api/auth', kind: 'path', default: '/api/auth' },
  ],
  issuer: '{baseUrl}{basePath}',
  audience: { values: [], howTo: 'Add your MCP server URL to the OAuth provider plugin\'s valid audiences (resources): `aud` is the requested resource.' },
  token: {
    scopeClaims: ['scope'], clientIdClaims: ['azp', 'client_id'], algorithms: ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'], requiredTyp: 'at+jwt', requireClientId: true,
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
});
