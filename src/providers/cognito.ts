import { oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'cognito',
  label: 'Amazon Cognito user pools',
  hint: 'issuer cognito-idp.{region}.amazonaws.com/{pool}; no aud: checks client_id and token_use',
  metadataLocation: 'path-appended',
  issuerExample: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123',
  inputs: [
    { id: 'region', flag: 'cognito-region', label: 'AWS region of the user pool', example: 'us-east-1', kind: 'aws-region' },
    { id: 'userPoolId', flag: 'cognito-user-pool-id', label: 'User pool id', example: 'us-east-1_AbCdEf123', kind: 'segment' },
    { id: 'clientIds', flag: 'cognito-client-ids', label: 'App client id(s) allowed to call the server, comma-separated', example: '1h57kf5cpq17m0eml12EXAMPLE', kind: 'id-list' },
  ],
  issuer: 'https://cognito-idp.{region}.amazonaws.com/{userPoolId}',
  audience: { values: ['{clientIds}'], howTo: 'Cognito access tokens have no `aud`: the server checks `client_id` against your app client ids and `token_use` = access. With RFC 8707 resource binding (Essentials/Plus) `aud` is the resource, the MCP server URL, which is accepted too.' },
  token: {
    unsupportedFormats: { opaque: 'Amazon Cognito has no introspection endpoint: its access tokens are JWTs' },
    scopeClaims: ['scope'], clientIdClaims: ['client_id'], algorithms: ['RS256'], requiredClaims: { token_use: 'access' }, audienceFallbackClaims: ['client_id'], audienceNames: 'client',
    evidence: {
      scopes: '`scope`: the requested scopes allowed for the app client; `cognito:groups` is never read (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html).',
      accessTokens: '`token_use` is `access` in access tokens and `id` in ID tokens, and is required; `client_id` must be one of your app clients (same page).',
    },
  },
  registration: { dcr: 'no', cimd: 'no', note: 'no dynamic registration: create an app client and configure its id in your MCP client' },
  pkceFieldMissing: true,
  resourceIndicators: 'partial',
  sharedSecretFix: 'Cognito signs with RS256; an HS256 token did not come from Cognito',
  setup: [
    'User pool → App integration → Resource servers: create one (identifier = your MCP server URL) with your scopes; tokens carry them as `<identifier>/<scope>`, so pass those full names with `--scopes`.',
    'Create an app client (public, authorization code grant, PKCE) with the resource server scopes; put its id in AUTH_AUDIENCE.',
    'Set up a user pool domain (managed login): the authorize and token endpoints live there.',
  ],
  uncertain: ['typ header (not enforced)', 'resource binding behaviour with MCP clients (aud is accepted when present)'],
  broker: oidcBroker({
    default: true,
    setup: [
      'User pool → Domain: set a Cognito or custom domain (the managed login pages the broker sends users to).',
      'App integration → App clients → Create app client: Traditional web application (confidential, with a client secret); Allowed callback URL {callbackUrl}; OAuth grant type Authorization code; scopes openid, profile, email.',
      'Its client id goes into AUTH_CLIENT_ID and its client secret into AUTH_CLIENT_SECRET.',
    ],
    evidence: 'Cognito returns a refresh token with every authorization code grant, no offline_access needed (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html). No DCR or CIMD (providers.json `supports`).',
  }),
  docs: ['https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html'],
});
