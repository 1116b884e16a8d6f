import { ASYMMETRIC_ALGORITHMS, audienceInput, oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'keycloak',
  label: 'Keycloak',
  hint: 'issuer {base}/realms/{realm}; add an Audience mapper for the MCP URL',
  metadataLocation: 'path-appended',
  issuerExample: 'https://kc.example.com/realms/mcp',
  inputs: [
    { id: 'baseUrl', flag: 'keycloak-url', label: 'Keycloak base URL (add /auth for Keycloak < 17)', example: 'https://kc.example.com', kind: 'base-url' },
    { id: 'realm', flag: 'keycloak-realm', label: 'Realm name', example: 'mcp', kind: 'segment' },
    audienceInput('keycloak-audience', 'Expected audience (empty: the MCP server URL)'),
  ],
  issuer: '{baseUrl}/realms/{realm}',
  audience: { values: ['{audience}'], howTo: 'Keycloak puts `account` in `aud` by default: add a client scope with an Audience mapper (Included Custom Audience = your MCP server URL) as a default scope, or start Keycloak with --features=resource-indicators.' },
  token: {
    scopeClaims: ['scope'], clientIdClaims: ['azp', 'client_id'], algorithms: ASYMMETRIC_ALGORITHMS,
    evidence: {
      scopes: '`scope`: the granted client scopes (defaults plus requested optional ones, after consent); `realm_access` and `resource_access` roles are never read (https://www.keycloak.org/docs/latest/server_admin/#_client_scopes).',
      accessTokens: '`aud` = the MCP server URL through an audience mapper or resource indicators; ID tokens carry the client id. Keycloak also writes a payload `typ` (`Bearer`, `ID`), not required here because lightweight access tokens were not checked.',
    },
  },
  registration: { dcr: 'yes', cimd: 'partial', note: 'anonymous registration is limited by client registration policies (Trusted Hosts, Allowed Client Scopes); CIMD is experimental (--features=cimd)' },
  resourceIndicators: 'partial',
  sharedSecretFix: 'in Realm settings → Keys, make an RSA or EC key the active key for the realm\'s default signature algorithm (Realm settings → Tokens)',
  setup: [
    'Create client scopes named like your scopes (Client scopes → Create, type Default or Optional).',
    'Create a client scope "mcp-audience" with a mapper of type Audience, Included Custom Audience = your MCP server URL, and add it as a Default client scope.',
    'Realm settings → Client registration → Anonymous access policies: allow your MCP clients\' hosts (Trusted Hosts) and scopes (Allowed Client Scopes).',
  ],
  broker: oidcBroker(),
  docs: ['https://www.keycloak.org/securing-apps/mcp-authz-server'],
});
