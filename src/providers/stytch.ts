import { oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'stytch',
  label: 'Stytch Connected Apps',
  hint: 'issuer = project domain (stytch.com/{project} also accepted); aud = project id',
  discovery: 'oauth',
  metadataLocation: 'root',
  issuerExample: 'https://example-domain-1234.customers.stytch.dev',
  inputs: [
    { id: 'projectId', flag: 'stytch-project-id', label: 'Project id', example: 'project-test-00000000-0000-0000-0000-000000000000', kind: 'segment' },
    { id: 'projectDomain', flag: 'stytch-domain', label: 'Project domain (or custom domain)', example: 'https://example-domain-1234.customers.stytch.dev', kind: 'base-url' },
  ],
  issuer: '{projectDomain}',
  audience: { values: ['{projectId}'], howTo: 'Stytch puts your project id in `aud`, shared by every token of the project; set the Connected Apps access token custom audience to your MCP server URL and put it in AUTH_AUDIENCE to bind tokens to this server.' },
  token: {
    scopeClaims: ['scope'], clientIdClaims: ['client_id'], algorithms: ['RS256'], extraIssuers: ['stytch.com/{projectId}'], requireClientId: true, forbiddenClaims: ['https://stytch.com/session'], audienceNames: 'project',
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
  broker: oidcBroker(),
  docs: ['https://stytch.com/docs/connected-apps/guides/mcp-auth-overview'],
});
