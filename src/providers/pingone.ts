import { audienceInput, oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'pingone',
  label: 'PingOne',
  hint: 'issuer https://auth.pingone.{tld}/{envId}/as; aud = custom resource audience',
  metadataLocation: 'path-appended',
  issuerExample: 'https://auth.pingone.com/00000000-0000-0000-0000-000000000000/as',
  inputs: [
    { id: 'regionTld', flag: 'pingone-region', label: 'Region domain suffix', example: 'com', kind: 'choice', choices: ['com', 'eu', 'ca', 'asia', 'com.au', 'sg'] },
    { id: 'environmentId', flag: 'pingone-environment-id', label: 'Environment id', example: 'abcd1234-0000-0000-0000-000000000000', kind: 'uuid' },
    audienceInput('pingone-audience', 'Custom resource audience (empty: the MCP server URL)'),
  ],
  issuer: 'https://auth.pingone.{regionTld}/{environmentId}/as',
  audience: { values: ['{audience}'], howTo: 'Create a custom resource (Applications → Resources) whose audience is your MCP server URL; clients get it by requesting that resource\'s scopes.' },
  token: {
    scopeClaims: ['scope'], clientIdClaims: ['client_id'], algorithms: ['RS256'], requireClientId: true,
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
  broker: oidcBroker({
    default: true,
    setup: [
      'Applications → Applications → + → OIDC Web App; Redirect URIs {callbackUrl}; Response type Code; Grant types Authorization Code and Refresh Token; token endpoint authentication Client Secret Basic.',
      'Resources: allow the openid, profile and email scopes; then enable the application (its toggle).',
      'Its Client ID goes into AUTH_CLIENT_ID and its Client Secret into AUTH_CLIENT_SECRET.',
    ],
    evidence: 'PingOne issues refresh tokens when the application allows the Refresh Token grant, without offline_access (https://docs.pingidentity.com/pingone/applications/p1_edit_application_oidc.html). Its DCR support is uncertain (providers.json `supports.dcr`).',
  }),
  docs: ['https://developer.pingidentity.com/pingone-api/foundations/authentication-concepts/access-tokens-and-id-tokens/token-claims.html'],
});
