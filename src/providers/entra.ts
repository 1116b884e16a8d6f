import { oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'entra',
  label: 'Microsoft Entra ID (v2 tokens)',
  hint: 'issuer login.microsoftonline.com/{tenant}/v2.0; aud = app client id; needs the metadata shim',
  metadataLocation: 'path-appended',
  issuerExample: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
  inputs: [
    { id: 'tenantId', flag: 'entra-tenant-id', label: 'Directory (tenant) id', example: '72f988bf-86f1-41af-91ab-2d7cd011db47', kind: 'uuid' },
    { id: 'clientId', flag: 'entra-client-id', label: 'Application (client) id of the MCP server\'s app registration', example: '00001111-aaaa-2222-bbbb-3333cccc4444', kind: 'uuid' },
    { id: 'appIdUri', flag: 'entra-app-id-uri', label: 'Application ID URI (Expose an API; empty: api://<client id>)', example: 'https://mcp.example.com/mcp', kind: 'audience', default: 'api://{clientId}' },
  ],
  issuer: 'https://login.microsoftonline.com/{tenantId}/v2.0',
  audience: { values: ['{clientId}'], howTo: 'v2 access tokens carry the application (client) id GUID in `aud`, not the MCP URL. Set "requestedAccessTokenVersion": 2 in the app manifest BEFORE adding the App ID URI, or tokens are v1 (issuer sts.windows.net) and are refused.' },
  // scp is a space-separated string of short names here. App roles (`roles`, app-only tokens) are not read as scopes.
  token: {
    unsupportedFormats: { opaque: 'Microsoft Entra ID has no introspection endpoint: access tokens for your app are JWTs' },
    scopeClaims: ['scp'], clientIdClaims: ['azp'], algorithms: ['RS256'], requiredClaims: { ver: '2.0' }, requireClientId: true, audienceNames: 'client', scopePrefix: '{appIdUri}/', issuerHint: 'Tokens from https://sts.windows.net/… are v1: set "requestedAccessTokenVersion": 2 in the app registration manifest.',
    evidence: {
      scopes: '`scp`: the scopes the client requested and received consent for, in user tokens only; `roles`, `wids` and `groups` are never read (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).',
      accessTokens: '`aud` is the app\'s client id in access and ID tokens alike. Only v2 access tokens carry `azp`; ID tokens have no `azp`, `appid` or `scp`, and none from /token has `at_hash` (https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference), so `azp` is required.',
    },
  },
  // Clients must request `<App ID URI>/<scope>` (advertised in the metadata); tokens say only `<scope>`.
  defaultScopes: '{appIdUri}/read,{appIdUri}/write',
  registration: { dcr: 'no', cimd: 'no', note: 'no dynamic registration: register a client app and configure its client id in your MCP client' },
  pkceFieldMissing: true,
  resourceIndicators: 'partial',
  sharedSecretFix: 'Entra signs access tokens with RS256; an HS256 token did not come from Entra',
  setup: [
    'App registrations → New registration for the MCP server; note its Application (client) id and Directory (tenant) id.',
    'Manifest: set "requestedAccessTokenVersion": 2 (before the next step).',
    'Expose an API: set the Application ID URI to your MCP server URL (no trailing-slash difference, or AADSTS9010010) and add your scopes.',
    'Register a second app for your MCP client (public client, redirect URI of the client) and grant it the scopes; its client id goes into the MCP client.',
  ],
  uncertain: ['whether `resource` is honoured (Microsoft\'s MCP guide says it is matched to the App ID URI)', 'CIMD'],
  broker: oidcBroker({
    default: true,
    upstreamScopes: 'openid profile email offline_access User.Read',
    profileUrl: 'https://graph.microsoft.com/v1.0/me',
    setup: [
      'App registrations → New registration: supported account types as you need; Redirect URI, platform Web: {callbackUrl}.',
      'Note the Application (client) id (AUTH_CLIENT_ID) and the Directory (tenant) id (the issuer\'s tenant).',
      'Certificates & secrets → New client secret: its Value goes into AUTH_CLIENT_SECRET (it expires: renew it before).',
      'API permissions: Microsoft Graph, delegated openid, profile, email, offline_access and User.Read (the default set); grant admin consent where your tenant requires it.',
    ],
    evidence: 'offline_access: Entra returns a refresh token only when it is requested (https://learn.microsoft.com/entra/identity-platform/scopes-oidc#the-offline_access-scope); User.Read lets the example tool call Microsoft Graph /me (https://learn.microsoft.com/graph/api/user-get). Entra has no DCR or CIMD for MCP clients (providers.json `supports`).',
  }),
  docs: ['https://learn.microsoft.com/en-us/entra/agent-id/secure-mcp-server-with-entra-id', 'https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens'],
});
