import { oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'supabase',
  label: 'Supabase Auth (OAuth 2.1 server)',
  hint: 'issuer https://{ref}.supabase.co/auth/v1; aud = authenticated; asymmetric keys required',
  discovery: 'oauth',
  metadataLocation: 'path-inserted',
  issuerExample: 'https://abcdefghijklmnopqrst.supabase.co/auth/v1',
  inputs: [
    { id: 'projectRef', flag: 'supabase-project-ref', label: 'Project ref', example: 'abcdefghijklmnopqrst', kind: 'segment' },
  ],
  issuer: 'https://{projectRef}.supabase.co/auth/v1',
  audience: { values: ['authenticated'], howTo: 'Supabase puts `authenticated` in `aud` (change it with a Custom Access Token Hook); the server also requires `client_id`, which only OAuth tokens carry, so first-party session tokens are refused.' },
  token: {
    unsupportedFormats: { opaque: 'Supabase Auth has no introspection endpoint: its access tokens are JWTs' },
    scopeClaims: ['scope'], clientIdClaims: ['client_id'], algorithms: ['ES256', 'RS256'], requireClientId: true, audienceNames: 'project',
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
  broker: oidcBroker(),
  docs: ['https://supabase.com/docs/guides/auth/oauth-server/mcp-authentication', 'https://supabase.com/docs/guides/auth/oauth-server/token-security'],
});
