import { audienceInput, oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'logto',
  label: 'Logto (Cloud or OSS)',
  hint: 'issuer {endpoint}/oidc; API resource indicator = MCP URL; EC-signed JWTs',
  metadataLocation: 'path-appended',
  issuerExample: 'https://your-tenant.logto.app/oidc',
  inputs: [
    { id: 'endpoint', flag: 'logto-endpoint', label: 'Logto endpoint', example: 'https://your-tenant.logto.app', kind: 'base-url' },
    audienceInput('logto-resource', 'API resource indicator (empty: the MCP server URL)'),
  ],
  issuer: '{endpoint}/oidc',
  audience: { values: ['{audience}'], howTo: 'In Logto Console → API resources, create an API resource whose indicator is exactly your MCP server URL; Logto only issues a JWT when the client sends that `resource`.' },
  // EC by default (curve not confirmed), RSA after a key rotation: allow both families.
  token: {
    unsupportedFormats: { opaque: 'Logto has no introspection endpoint for resource servers: its opaque tokens are valid only at /oidc/me (tokens requested with `resource` are JWTs)' },
    scopeClaims: ['scope'], clientIdClaims: ['client_id', 'azp'], algorithms: ['ES384', 'ES256', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256'],
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
  broker: oidcBroker({
    upstreamScopes: 'openid profile email offline_access',
    evidence: 'offline_access: Logto issues a refresh token only when it is requested (https://docs.logto.io/end-user-flows/sign-out-and-sessions/refresh-tokens).',
  }),
  docs: ['https://docs.logto.io/use-cases/ai/mcp-server-add-auth', 'https://docs.logto.io/authorization/validate-access-tokens'],
});
