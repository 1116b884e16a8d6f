import { oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'google',
  label: 'Google (opaque tokens, checked with tokeninfo)',
  hint: 'opaque access tokens verified at oauth2.googleapis.com/tokeninfo; aud = OAuth client id',
  metadataLocation: 'root',
  issuerExample: 'https://accounts.google.com',
  inputs: [
    { id: 'clientIds', flag: 'google-client-ids', label: 'OAuth client id(s) whose tokens are accepted, comma-separated', example: '1234-abc.apps.googleusercontent.com', kind: 'id-list' },
  ],
  issuer: 'https://accounts.google.com',
  audience: { values: ['{clientIds}'], howTo: 'Google access tokens are not bound to your server: tokeninfo reports the OAuth client id as `aud`, and only the client ids you list are accepted.' },
  token: {
    unsupportedFormats: { jwt: 'Google access tokens are always opaque (its JWKS verifies ID tokens only); this server checks them with tokeninfo' },
    format: 'opaque', introspection: 'google-tokeninfo', scopeClaims: ['scope'], clientIdClaims: ['azp'], algorithms: ['RS256'], audienceNames: 'client',
    evidence: {
      scopes: 'tokeninfo `scope`: the scopes the user consented to (https://developers.google.com/identity/protocols/oauth2).',
      accessTokens: 'Opaque access tokens are checked with tokeninfo\'s `access_token` form; its `aud` is the OAuth client id, accepted only when listed.',
    },
  },
  defaultScopes: 'openid,email',
  registration: { dcr: 'no', cimd: 'no', note: 'no dynamic registration and no custom scopes: configure a Google OAuth client id in your MCP client' },
  resourceIndicators: 'no',
  sharedSecretFix: 'Google access tokens are opaque; send the access token, not an ID token',
  setup: [
    'Google Cloud Console → APIs & Services → Credentials → Create OAuth client id; its id goes into AUTH_AUDIENCE and into your MCP client.',
    'Google has no custom scopes: the tools require Google scopes (default `openid` and `email`).',
  ],
  uncertain: ['RFC 8414 absence'],
  broker: oidcBroker({
    default: true,
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    setup: [
      'Google Cloud Console → Google Auth Platform (APIs & Services → OAuth consent screen): configure the app (Internal or External) with the scopes openid, profile and email.',
      'Clients (Credentials) → Create client → Web application; Authorized redirect URIs: {callbackUrl}.',
      'Its Client ID goes into AUTH_CLIENT_ID and its Client secret into AUTH_CLIENT_SECRET.',
    ],
    evidence: 'Google issues refresh tokens only for access_type=offline, and again for an already consented user only with prompt=consent (https://developers.google.com/identity/protocols/oauth2/web-server#offline); its discovery lists no offline_access scope. No DCR or CIMD (providers.json `supports`).',
  }),
  docs: ['https://developers.google.com/identity/protocols/oauth2'],
});
