import { genericToken } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'local',
  label: 'Local development authorization server (no account needed)',
  hint: 'the dev script also starts an embedded OAuth server with a login page; switch the issuer later',
  metadataLocation: 'root',
  issuerExample: 'http://localhost:3001',
  defaultIssuer: 'http://localhost:3001',
  devAuthServer: true,
  audience: { values: [], howTo: 'The development server puts the MCP server URL in `aud` (RFC 8707 resource indicators).' },
  // oidc-provider stamps its JWT access tokens with typ at+jwt (RFC 9068), so the check costs nothing.
  token: {
    unsupportedFormats: { opaque: 'the development authorization server issues JWT access tokens and has no introspection endpoint' },
    ...genericToken,
    requiredTyp: 'at+jwt',
    evidence: {
      scopes: '`scope`: the grant the consent page creates for the requested scopes (dev/interactions.ts).',
      accessTokens: '`typ: at+jwt` (RFC 9068) and `aud` = the MCP server URL; its ID tokens have `typ: JWT` and `aud` = the client id.',
    },
  },
  registration: { dcr: 'yes', cimd: 'no', note: 'open dynamic client registration' },
  resourceIndicators: 'yes',
  sharedSecretFix: 'the development server always signs with ES256; delete .dev-auth/ to start over',
  docs: [],
});
