import { genericToken } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'oauth',
  label: 'Any OAuth 2.0 authorization server (RFC 8414 metadata)',
  hint: 'reads /.well-known/oauth-authorization-server; JWT or opaque tokens (RFC 7662)',
  discovery: 'oauth',
  metadataLocation: 'path-inserted',
  issuerExample: 'https://auth.example.com',
  audience: { values: [], howTo: 'Configure the server to put your MCP server URL (the RFC 8707 `resource`) in `aud`, or set AUTH_AUDIENCE to the value it does use.' },
  token: {
    ...genericToken,
    introspection: 'rfc7662',
    evidence: {
      scopes: '`scope` and `scp` hold delegated scopes by definition (RFC 9068 §2.2.3, RFC 8693 §4.2); no role claim is read.',
      accessTokens: '`aud` must be this server\'s URL (RFC 8707); an ID token\'s `aud` is the client id (OpenID Connect Core §2), so it is refused. Servers that follow RFC 9068 also write `typ: at+jwt`. Opaque tokens: introspection reports only active access tokens (RFC 7662 §2.2).',
    },
  },
  registration: { dcr: 'uncertain', cimd: 'uncertain', note: 'read from the server metadata (`doctor` checks it)' },
  resourceIndicators: 'uncertain',
  sharedSecretFix: 'configure the server to sign access tokens with an RSA or EC key published in its JWKS, or use AUTH_TOKEN_FORMAT=opaque with introspection',
  docs: ['https://www.rfc-editor.org/rfc/rfc8414', 'https://www.rfc-editor.org/rfc/rfc7662'],
});
