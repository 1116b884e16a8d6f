import { oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'clerk',
  label: 'Clerk',
  hint: 'issuer = Frontend API URL; typ at+jwt keeps session tokens out',
  discovery: 'oauth',
  metadataLocation: 'root',
  issuerExample: 'https://verb-noun-12.clerk.accounts.dev',
  inputs: [
    { id: 'frontendApiUrl', flag: 'clerk-frontend-api', label: 'Frontend API URL', example: 'https://verb-noun-12.clerk.accounts.dev', kind: 'base-url' },
  ],
  issuer: '{frontendApiUrl}',
  // Whether Clerk's OAuth tokens carry `aud` is not confirmed: `aud` stays required (the safe default) and
  // AUTH_AUDIENCE_OPTIONAL=1 is the explicit, documented opt-out if `doctor --token` shows yours have none.
  audience: { values: [], howTo: 'Clerk may issue OAuth access tokens without `aud` (not confirmed for its MCP server feature). Run `doctor --token <token>`: if yours carry none, set AUTH_AUDIENCE_OPTIONAL=1, which then accepts any OAuth access token of your instance that has the scopes. Enable "Generate access tokens as JWTs" on apps created before 2026-01-08.' },
  token: {
    unsupportedFormats: { opaque: 'Clerk checks its opaque oat_ tokens only with a Backend API call that is not RFC 7662 introspection; enable "Generate access tokens as JWTs" instead' },
    scopeClaims: ['scope', 'scp'], clientIdClaims: ['client_id'], algorithms: ['RS256'], requiredTyp: 'at+jwt', requireClientId: true,
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
  broker: oidcBroker(),
  docs: ['https://clerk.com/docs/guides/development/mcp/build-mcp-server', 'https://clerk.com/changelog/2026-01-08-jwt-oauth-access-tokens'],
});
