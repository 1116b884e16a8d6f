import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'scalekit',
  label: 'Scalekit (MCP Auth)',
  hint: 'issuer {env}/resources/{res_id}; aud = resource id',
  discovery: 'oauth',
  metadataLocation: 'path-inserted',
  issuerExample: 'https://your-env.scalekit.com/resources/res_92015146095',
  inputs: [
    { id: 'environmentUrl', flag: 'scalekit-env-url', label: 'Environment URL', example: 'https://your-env.scalekit.com', kind: 'base-url' },
    { id: 'resourceId', flag: 'scalekit-resource-id', label: 'MCP server resource id', example: 'res_92015146095', kind: 'segment' },
  ],
  issuer: '{environmentUrl}/resources/{resourceId}',
  // Older integrations used the MCP URL as audience, newer ones the res_ id: both are accepted.
  audience: { values: ['{resourceId}'], howTo: 'Register the MCP server in Scalekit with its resource identifier = your MCP server URL; tokens carry the res_ id (and sometimes the URL) in `aud`.' },
  token: {
    unsupportedFormats: { opaque: 'Scalekit publishes no introspection endpoint: its access tokens are JWTs' },
    scopeClaims: ['scope', 'scp'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256', 'ES256', 'PS256'], extraIssuers: ['{environmentUrl}'],
    evidence: {
      scopes: '`scope`: the scopes granted for the MCP server (claim names not confirmed; https://docs.scalekit.com/mcp/overview).',
      accessTokens: '`aud` = the MCP server\'s resource id, which other tokens of the environment do not carry (not confirmed).',
    },
  },
  registration: { dcr: 'yes', cimd: 'yes', note: 'dynamic registration and Client ID Metadata Documents, toggled per MCP server' },
  resourceIndicators: 'yes',
  sharedSecretFix: 'Scalekit signs with its environment keys; an HS256 token did not come from Scalekit',
  setup: [
    'Dashboard → MCP Servers → Add: Server URL = your MCP server URL; note the resource id (res_…).',
    'Enable Dynamic Client Registration and/or Client ID Metadata Documents; add your scopes.',
  ],
  uncertain: ['discovery path', 'claim names', 'algorithm', 'issuer form (bare and resource-scoped both accepted)'],
  docs: ['https://docs.scalekit.com/authenticate/mcp/quickstart'],
});
