import { BROKER_REFERENCE, genericToken } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

/**
 * GitHub signs users in with OAuth 2 only (no OpenID discovery for user sign-in, opaque tokens), and MCP clients cannot
 * register there: it works only as the upstream of the broker. The resource-server fields below are never used by a
 * generated server (`broker.only` refuses --no-broker); they are filled so the preset has the shape every row has.
 */
export default defineProvider({
  id: 'github',
  label: 'GitHub',
  hint: 'broker mode only: this server signs users in with a GitHub OAuth app (or GitHub App); the user is GitHub\'s numeric id',
  discovery: 'oauth',
  metadataLocation: 'root',
  // Only a label: the broker's upstream is configured by its endpoints (AUTH_AUTHORIZATION_URL, …), not by discovery.
  issuerExample: 'https://github.com',
  issuer: 'https://github.com',
  audience: { values: [], howTo: 'GitHub tokens name no audience; this server accepts only the tokens its broker issues.' },
  token: {
    ...genericToken,
    unsupportedFormats: { opaque: 'the broker issues its own JWT access tokens; GitHub\'s tokens never reach MCP clients' },
    evidence: {
      scopes: 'The broker\'s own tokens carry in `scope` the scopes the user consented to for the MCP client on its consent page (RFC 9068 §2.2.3); GitHub\'s scopes never reach them.',
      accessTokens: 'GitHub access tokens are opaque and have no audience, so no resource server can verify them: the broker issues its own RFC 9068 JWTs.',
    },
  },
  registration: { dcr: 'no', cimd: 'no', note: 'MCP clients register with this server\'s broker (CIMD or dynamic registration), never at GitHub' },
  resourceIndicators: 'no',
  sharedSecretFix: 'GitHub tokens are opaque: use broker mode',
  broker: {
    default: true,
    only: 'GitHub has no token a resource server can verify (its access tokens are opaque, without audience or introspection): it works only in broker mode',
    upstreamScopes: 'read:user user:email',
    identity: 'user-api',
    userIdField: 'id',
    endpoints: {
      authorization: 'https://github.com/login/oauth/authorize',
      token: 'https://github.com/login/oauth/access_token',
      userinfo: 'https://api.github.com/user',
    },
    profileUrl: 'https://api.github.com/user',
    setup: [
      'GitHub → Settings → Developer settings → OAuth Apps → New OAuth App (or a GitHub App with "Request user authorization" on): Homepage URL your server\'s origin; Authorization callback URL {callbackUrl} (one per app: use one app per environment).',
      'Generate a new client secret. The Client ID goes into AUTH_CLIENT_ID and the secret into AUTH_CLIENT_SECRET.',
    ],
    evidence: `GitHub: authorize https://github.com/login/oauth/authorize, token https://github.com/login/oauth/access_token (JSON with Accept: application/json), user https://api.github.com/user; the stable id is the numeric \`id\` (\`login\` can change); PKCE S256 supported since 2025-07-14, not required; no OpenID discovery for user sign-in, opaque tokens; OAuth-app tokens do not expire, GitHub App user tokens expire after 8 h with refresh tokens; read:user and user:email read the profile and e-mail addresses (https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps, https://docs.github.com/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps). Sources: ${BROKER_REFERENCE}.`,
  },
  docs: ['https://docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps'],
});
