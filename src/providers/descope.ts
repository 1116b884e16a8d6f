import { oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'descope',
  label: 'Descope (Agentic Identity Hub)',
  hint: 'one issuer per MCP server: api.descope.com/v1/apps/agentic/{project}/{server}',
  metadataLocation: 'path-appended',
  issuerExample: 'https://api.descope.com/v1/apps/agentic/P2abc/MS2abc',
  inputs: [
    { id: 'projectId', flag: 'descope-project-id', label: 'Project id', example: 'P32juVkF2iM8wAGoM8PiLkGi6POV', kind: 'segment' },
    { id: 'mcpServerId', flag: 'descope-mcp-server-id', label: 'MCP server id (Agentic Identity Hub)', example: 'MS35d1Xw1Yo6zozsW7n8BU6xLmnAs', kind: 'segment' },
  ],
  issuer: 'https://api.descope.com/v1/apps/agentic/{projectId}/{mcpServerId}',
  audience: { values: [], howTo: 'Set the MCP server\'s "MCP Server URL" in the Agentic Identity Hub to your MCP server URL: it becomes `aud`.' },
  token: {
    unsupportedFormats: { opaque: 'Descope publishes no introspection endpoint: its access tokens are JWTs' },
    scopeClaims: ['scope'], clientIdClaims: ['client_id', 'azp'], algorithms: ['RS256', 'ES256', 'ES384', 'PS256'],
    evidence: {
      scopes: '`scope`: the scopes granted to the client for this MCP server on Descope\'s consent page (not confirmed by a claims reference; https://docs.descope.com/mcp).',
      accessTokens: 'Tokens for an MCP server have that server\'s issuer and `aud` = its MCP Server URL, which project session JWTs do not carry (not confirmed by a claims reference).',
    },
  },
  registration: { dcr: 'yes', cimd: 'yes', note: 'dynamic registration and Client ID Metadata Documents, per MCP server' },
  resourceIndicators: 'partial',
  sharedSecretFix: 'Descope signs with the project key set; an HS256 token did not come from Descope',
  setup: [
    'Agentic Identity Hub → MCP Servers → Create: MCP Server URL = your MCP server URL; add your scopes.',
    'Enable Dynamic Client Registration and/or Client ID Metadata Documents for it.',
  ],
  uncertain: ['scope and client id claim names (both forms read)', 'RFC 8414 path'],
  broker: oidcBroker(),
  docs: ['https://docs.descope.com/agentic-identity-hub/core-components/mcp-servers'],
});
