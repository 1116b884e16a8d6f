import { genericToken, oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'oidc',
  label: 'Any OpenID Connect provider',
  hint: 'reads /.well-known/openid-configuration from your issuer',
  metadataLocation: 'path-appended',
  issuerExample: 'https://your-tenant.example.com/',
  audience: { values: [], howTo: 'Configure the provider to put your MCP server URL (the RFC 8707 `resource`) in `aud`, or set AUTH_AUDIENCE to the value it does use.' },
  token: {
    ...genericToken,
    evidence: {
      scopes: '`scope` and `scp` hold delegated scopes by definition (RFC 9068 §2.2.3, RFC 8693 §4.2); no role claim is read.',
      accessTokens: '`aud` must be this server\'s URL (RFC 8707); an ID token\'s `aud` is the client id (OpenID Connect Core §2), so it is refused. Servers that follow RFC 9068 also write `typ: at+jwt`.',
    },
  },
  registration: { dcr: 'uncertain', cimd: 'uncertain', note: 'read from the provider metadata (`doctor` checks it)' },
  resourceIndicators: 'uncertain',
  sharedSecretFix: 'configure the provider to sign access tokens with an RSA or EC key published in its JWKS',
  broker: oidcBroker(),
  docs: ['https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization'],
});
