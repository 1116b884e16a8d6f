import { oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'zitadel',
  label: 'ZITADEL',
  hint: 'opaque tokens by default (introspection with an API app); aud = project id',
  metadataLocation: 'root',
  issuerExample: 'https://my-instance-abc123.zitadel.cloud',
  inputs: [
    { id: 'instanceUrl', flag: 'zitadel-url', label: 'Instance URL', example: 'https://my-instance-abc123.zitadel.cloud', kind: 'base-url' },
    { id: 'projectId', flag: 'zitadel-project-id', label: 'Project id', example: '276425036934545475', kind: 'segment' },
  ],
  issuer: '{instanceUrl}',
  audience: { values: ['{projectId}'], howTo: 'ZITADEL puts the project id in `aud` when the client requests the reserved scope urn:zitadel:iam:org:project:id:{projectId}:aud.' },
  token: {
    format: 'opaque', introspection: 'rfc7662', scopeClaims: ['scope'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256'], audienceNames: 'project',
    evidence: {
      scopes: 'Introspection `scope`: the granted scopes; role claims (`urn:zitadel:iam:org:project:roles`) are never read (https://zitadel.com/docs/apis/openidoauth/claims).',
      accessTokens: 'Opaque tokens are checked by introspection, which answers `active` for access tokens only (RFC 7662 §2.2); `aud` is the project id.',
    },
  },
  registration: { dcr: 'partial', cimd: 'uncertain', note: 'dynamic registration exists but is off by default' },
  resourceIndicators: 'uncertain',
  sharedSecretFix: 'ZITADEL signs with RS256; an HS256 token did not come from ZITADEL',
  setup: [
    'Create a project and, in it, an API application (authentication method Basic): its client id and secret go into AUTH_INTROSPECTION_CLIENT_ID / AUTH_INTROSPECTION_CLIENT_SECRET.',
    'Create the MCP client application (User Agent or Native, PKCE); to use JWTs instead of introspection, set its Auth Token Type to JWT and AUTH_TOKEN_FORMAT=jwt.',
    'Add urn:zitadel:iam:org:project:id:{projectId}:aud to the scopes your MCP client requests, or `aud` lacks the project id.',
  ],
  uncertain: ['scope claim name', 'token type of dynamically registered clients', 'RFC 8414 and RFC 8707'],
  broker: oidcBroker({
    upstreamScopes: 'openid profile email offline_access',
    evidence: 'offline_access: ZITADEL issues a refresh token only when it is requested (https://zitadel.com/docs/apis/openidoauth/scopes).',
  }),
  docs: ['https://zitadel.com/docs/apis/openidoauth/claims', 'https://zitadel.com/docs/guides/integrate/dynamic-client-registration'],
});
