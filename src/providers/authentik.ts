import { RSA_EC, oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'authentik',
  label: 'authentik',
  hint: 'issuer {base}/application/o/{slug}/ (trailing slash); choose a signing key',
  metadataLocation: 'path-appended',
  issuerExample: 'https://authentik.example.com/application/o/mcp-server/',
  inputs: [
    { id: 'baseUrl', flag: 'authentik-url', label: 'authentik URL', example: 'https://authentik.example.com', kind: 'base-url' },
    { id: 'appSlug', flag: 'authentik-app-slug', label: 'Application slug', example: 'mcp-server', kind: 'segment' },
    { id: 'clientId', flag: 'authentik-client-id', label: 'OAuth2 provider client id', example: 'abc123', kind: 'segment' },
  ],
  issuer: '{baseUrl}/application/o/{appSlug}/',
  audience: { values: ['{clientId}'], howTo: 'authentik puts the provider\'s client id in `aud`, not the MCP URL.' },
  token: {
    scopeClaims: ['scope'], clientIdClaims: ['azp'], algorithms: RSA_EC, requireClientId: true, audienceNames: 'client',
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
  broker: oidcBroker(),
  docs: ['https://docs.goauthentik.io/add-secure-apps/providers/oauth2/'],
});
