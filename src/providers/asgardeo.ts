import { audienceInput, oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'asgardeo',
  label: 'Asgardeo / WSO2 Identity Server',
  hint: 'issuer is the token endpoint (…/oauth2/token); opaque tokens by default',
  metadataLocation: 'path-appended',
  issuerExample: 'https://api.asgardeo.io/t/myorg/oauth2/token',
  inputs: [
    { id: 'org', flag: 'asgardeo-org', label: 'Organization name (for WSO2 IS pass --issuer https://host/oauth2/token instead)', example: 'myorg', kind: 'segment' },
    audienceInput('asgardeo-audience', 'MCP server identifier (empty: the MCP server URL)'),
  ],
  issuer: 'https://api.asgardeo.io/t/{org}/oauth2/token',
  audience: { values: ['{audience}'], howTo: 'Register the MCP server (Resources → MCP servers) with its identifier = your MCP server URL: it becomes `aud`.' },
  token: {
    format: 'opaque', introspection: 'rfc7662', scopeClaims: ['scope'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256', 'PS256', 'ES256'],
    evidence: {
      scopes: 'Introspection `scope`: the granted scopes (https://wso2.com/asgardeo/docs/guides/authorization/api-authorization/).',
      accessTokens: 'Opaque tokens are checked by introspection, which answers `active` for access tokens only (RFC 7662 §2.2); `aud` = the registered MCP server identifier.',
    },
  },
  registration: { dcr: 'partial', cimd: 'uncertain', note: 'the registration endpoint is protected: register your MCP client app in the console' },
  resourceIndicators: 'uncertain',
  sharedSecretFix: 'Asgardeo signs JWT access tokens with RS256; an HS256 token did not come from Asgardeo',
  setup: [
    'Resources → MCP servers → New: identifier = your MCP server URL, with your scopes.',
    'Register your MCP client app (Applications → New → MCP client application) and authorize it for the MCP server scopes.',
    'Introspection needs a confidential application: its client id and secret go into AUTH_INTROSPECTION_CLIENT_ID / _SECRET. Or set the client app\'s Access Token type to JWT and AUTH_TOKEN_FORMAT=jwt.',
  ],
  uncertain: ['RFC 8707 mechanism', 'CIMD', 'claim names'],
  broker: oidcBroker(),
  docs: ['https://wso2.com/asgardeo/docs/guides/agentic-ai/mcp/mcp-server-authorization/'],
});
