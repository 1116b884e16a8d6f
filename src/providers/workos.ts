import { oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'workos',
  label: 'WorkOS AuthKit',
  hint: 'issuer https://{sub}.authkit.app; register the MCP URL as a resource indicator',
  discovery: 'oauth',
  metadataLocation: 'root',
  issuerExample: 'https://example-123.authkit.app',
  inputs: [
    { id: 'authkitDomain', flag: 'workos-authkit-domain', label: 'AuthKit domain', example: 'https://example-123.authkit.app', kind: 'base-url' },
  ],
  issuer: '{authkitDomain}',
  audience: { values: [], howTo: 'WorkOS Dashboard → Connect → Configuration: add your MCP server URL as a resource indicator for the environment, or `aud` will not match.' },
  token: {
    scopeClaims: ['scope'], permissionClaims: ['permissions'], clientIdClaims: ['client_id'], algorithms: ['RS256', 'ES256', 'PS256'], requireClientId: true,
    evidence: {
      scopes: '`scope`: the granted scopes of Connect tokens (https://workos.com/docs/authkit/connect/token-claims). `permissions` comes from the user\'s role in AuthKit session tokens (https://workos.com/docs/reference/authkit/session-tokens), so it only narrows.',
      accessTokens: 'Connect tokens carry `client_id` and `aud` = the resource; AuthKit session tokens name no client (same pages), so `client_id` is required.',
    },
  },
  registration: { dcr: 'yes', cimd: 'yes', note: 'Client ID Metadata Documents; dynamic registration (legacy) once enabled' },
  resourceIndicators: 'yes',
  sharedSecretFix: 'AuthKit signs with RS256; an HS256 token did not come from AuthKit',
  setup: [
    'Dashboard → Connect → Configuration: enable Client ID Metadata Documents (and Dynamic Client Registration for older clients).',
    'Add your MCP server URL as a resource indicator; define permissions named like your scopes.',
  ],
  uncertain: ['scope and client id claim names (scope and permissions both read)'],
  broker: oidcBroker(),
  docs: ['https://workos.com/docs/authkit/mcp'],
});
