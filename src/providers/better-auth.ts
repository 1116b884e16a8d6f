import { oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

/**
 * Checked against a live Better Auth (test/e2e/live-better-auth.test.ts, better-auth 1.7.29 with
 * @better-auth/oauth-provider 1.7.29, the jwt plugin, open dynamic registration): both MCP SDK client generations
 * complete the flow on Express and Hono. The setup steps below are the ones that run (test/fixtures/better-auth/).
 */
export default defineProvider({
  id: 'better-auth',
  label: 'Better Auth (OAuth 2.1 Provider plugin)',
  hint: 'issuer {origin}{basePath}; EdDSA-signed at+jwt',
  discovery: 'oauth',
  metadataLocation: 'path-inserted',
  metadataRoute:
    'Better Auth serves it under its base path only. Route GET requests for that URL, outside the base path, to `oauthProviderAuthServerMetadata(auth)` from @better-auth/oauth-provider (it returns a `(request: Request) => Promise<Response>` handler).',
  issuerExample: 'https://auth.example.com/api/auth',
  inputs: [
    { id: 'baseUrl', flag: 'better-auth-url', label: 'Better Auth app origin', example: 'https://auth.example.com', kind: 'base-url' },
    { id: 'basePath', flag: 'better-auth-base-path', label: 'Better Auth base path', example: '/api/auth', kind: 'path', default: '/api/auth' },
  ],
  issuer: '{baseUrl}{basePath}',
  audience: {
    values: [],
    howTo:
      'List your MCP server URL in the oauthProvider plugin\'s `resources`: `aud` is the requested resource (RFC 8707), which MCP clients send. When a client also asks for `openid`, `aud` is an array of the MCP server URL and `{issuer}/oauth2/userinfo`; this server accepts it (one of the values is its own).',
    perClient:
      'List the MCP server URL in the oauthProvider option `clientRegistrationDefaultResources` too: with `enforcePerClientResources` on (the default), a registered client may ask only for resources linked to it, and dynamically registered clients are linked to these. Listing it in `resources` alone is not enough.',
  },
  token: {
    scopeClaims: ['scope'], clientIdClaims: ['azp', 'client_id'], algorithms: ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'], requiredTyp: 'at+jwt', requireClientId: true,
    evidence: {
      scopes: '`scope`: the scopes granted to the client, written last by the authorization server (better-auth packages/oauth-provider/src/token.ts).',
      accessTokens: 'Access tokens have `typ: at+jwt` and `client_id`/`azp`; ID tokens and the jwt plugin\'s session JWTs have neither (packages/oauth-provider/src/introspect.ts).',
    },
    opaqueTokenCause:
      'Better Auth issues an opaque access token when the authorization request is sent without `resource` (RFC 8707), and a JWT for the MCP server URL when it names it. The fix is in the client: it must send `resource` with the MCP server URL (MCP SDK clients do, from the protected resource metadata). Switching this project to AUTH_TOKEN_FORMAT=opaque is not the fix.',
  },
  registration: {
    dcr: 'partial',
    cimd: 'partial',
    note: 'Open dynamic registration needs both `allowDynamicClientRegistration` and `allowUnauthenticatedClientRegistration`, and `clientRegistrationDefaultApplicationType: \'infer\'` for MCP clients with loopback redirect URIs (the default `web` refuses them); Client ID Metadata Documents need the separate @better-auth/cimd plugin',
  },
  resourceIndicators: 'yes',
  sharedSecretFix: 'enable the jwt plugin so access tokens are signed with its key pair (EdDSA by default)',
  setup: [
    'Install better-auth and @better-auth/oauth-provider at the same version (1.7.29 of both install together). Prefer them to @better-auth/mcp: its 1.7.5 pins better-call 1.4.0 while better-auth 1.7.29 needs 1.4.6, and `npm install` fails with ERESOLVE.',
    'Add the `jwt` plugin and `oauthProvider({ loginPage, consentPage, scopes, resources: [<MCP server URL>], clientRegistrationDefaultResources: [<MCP server URL>] })` with your scopes; your app serves the sign-in and consent pages.',
    'For MCP clients that register themselves, also set `allowDynamicClientRegistration: true`, `allowUnauthenticatedClientRegistration: true` and `clientRegistrationDefaultApplicationType: \'infer\'`.',
    'Serve the metadata at the app root, where MCP clients look first: GET /.well-known/oauth-authorization-server{basePath} → `oauthProviderAuthServerMetadata(auth)` from @better-auth/oauth-provider. Without it, and without `openid` in `scopes`, clients and this server find no metadata.',
  ],
  uncertain: [],
  broker: oidcBroker(),
  docs: ['https://better-auth.com/docs/plugins/oauth-provider', 'https://better-auth.com/docs/plugins/oauth-provider/resource-server', 'https://better-auth.com/docs/plugins/mcp'],
});
