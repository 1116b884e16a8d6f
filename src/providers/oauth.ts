import { BROKER_REFERENCE, genericToken } from './building-blocks.js';
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
  // Broker mode at a plain OAuth 2 server: no discovery, so its endpoints are given by hand; the user is read from its
  // user API (a JSON object, `sub` unless --user-id-field names another field).
  broker: {
    default: false,
    upstreamScopes: '',
    identity: 'user-api',
    userIdField: '{userIdField}',
    endpoints: { authorization: '{authorizationUrl}', token: '{tokenUrl}', userinfo: '{userinfoUrl}' },
    profileUrl: '{userinfoUrl}',
    inputs: [
      { id: 'authorizationUrl', flag: 'authorization-url', label: 'Authorization endpoint (broker mode)', example: 'https://auth.example.com/oauth/authorize', kind: 'url' },
      { id: 'tokenUrl', flag: 'token-url', label: 'Token endpoint (broker mode)', example: 'https://auth.example.com/oauth/token', kind: 'url' },
      { id: 'userinfoUrl', flag: 'userinfo-url', label: 'User API that returns the signed-in user as JSON (broker mode)', example: 'https://api.example.com/user', kind: 'url' },
      { id: 'userIdField', flag: 'user-id-field', label: 'Field of the user API holding the stable user id (broker mode)', example: 'id', kind: 'segment', default: 'sub' },
    ],
    setup: [
      'Register one confidential web application (authorization code grant, client secret) at the server with the redirect (callback) URI {callbackUrl}.',
      'Set AUTH_UPSTREAM_SCOPES to the scopes its user API needs (empty: none are requested).',
      'Its client id goes into AUTH_CLIENT_ID and its client secret into AUTH_CLIENT_SECRET.',
    ],
    evidence: `A plain OAuth 2 server (RFC 6749) has no ID token: the user is the --user-id-field of its user API, called with the access token it issued; choose a field that never changes (an id, not a login name). Sources: ${BROKER_REFERENCE}.`,
  },
  docs: ['https://www.rfc-editor.org/rfc/rfc8414', 'https://www.rfc-editor.org/rfc/rfc7662'],
});
