import { audienceInput, oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'ory',
  label: 'Ory Network / Ory Hydra',
  hint: 'opaque tokens by default (introspection); scp array',
  discovery: 'oauth',
  metadataLocation: 'root',
  issuerExample: 'https://your-slug.projects.oryapis.com',
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
  broker: oidcBroker(),
  docs: ['https://www.ory.sh/docs/oauth2-oidc/jwt-access-token'],
});
