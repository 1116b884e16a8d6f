import { RSA_EC, oidcBroker } from './building-blocks.js';
import { defineProvider } from './define-provider.js';

export default defineProvider({
  id: 'fusionauth',
  label: 'FusionAuth (>= 1.67)',
  hint: 'issuer = tenant issuer setting; aud = application id (or the MCP URL with resource)',
  metadataLocation: 'root',
  issuerExample: 'https://auth.example.com',
  inputs: [
    { id: 'issuer', flag: 'fusionauth-issuer', label: 'Tenant issuer (Tenants → General → Issuer; make it your FusionAuth URL)', example: 'https://auth.example.com', kind: 'issuer' },
    { id: 'clientId', flag: 'fusionauth-client-id', label: 'Application (client) id', example: '85a03867-dccf-4882-adde-1a79aeec50df', kind: 'uuid' },
  ],
  issuer: '{issuer}',
  // With `resource` (>= 1.67) aud may be the MCP URL (uncertain): the MCP URL is always accepted besides the client id.
  audience: { values: ['{clientId}'], howTo: 'FusionAuth puts the application id in `aud`; with the `resource` parameter (1.67+) it may be the MCP server URL, which is accepted too.' },
  token: {
    scopeClaims: ['scope'], clientIdClaims: ['applicationId'], algorithms: RSA_EC, requireClientId: true, audienceNames: 'client',
    evidence: {
      scopes: '`scope` (1.50+): the validated and consented OAuth scopes; `roles` is never read (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens).',
      accessTokens: 'Every FusionAuth JWT has `typ: JWT`, and ID tokens share `aud` (the client id) and even `scope`. Access tokens carry `applicationId` when the user is registered for the application, ID tokens no longer do (1.24+), so it is required.',
    },
  },
  registration: { dcr: 'no', cimd: 'no', note: 'no dynamic registration: configure the application\'s client id in your MCP client' },
  resourceIndicators: 'yes',
  sharedSecretFix: 'in Applications → your app → JWT, set the Access token signing key to an RSA or EC key (HS256 keys are not published in the JWKS)',
  setup: [
    'Tenants → General: set Issuer to your FusionAuth URL (https).',
    'Applications → Add: enable PKCE (required), authorization code grant, and under JWT an RSA/EC access token signing key.',
    'Custom scopes (a paid feature) named like your scopes; roles are not read as scopes.',
    'Register your users for the application (or enable self-service registration): only then do access tokens carry `applicationId`, which this server requires to tell them from ID tokens.',
  ],
  uncertain: ['discovery URL form', 'default issuer', '`aud` when resource is used', 'default signing algorithm'],
  broker: oidcBroker({
    default: true,
    upstreamScopes: 'openid profile email offline_access',
    setup: [
      'Applications → Add (or edit) → OAuth: Authorized redirect URLs {callbackUrl}; enabled grants Authorization Code and Refresh Token; Client authentication Required.',
      'Registrations: register the users who may sign in to this application (or enable self-service registration).',
      'Its Client Id goes into AUTH_CLIENT_ID and its Client secret into AUTH_CLIENT_SECRET.',
    ],
    evidence: 'offline_access: FusionAuth returns a refresh token only when it is requested and the Refresh Token grant is enabled (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens#refresh-token). No DCR (providers.json `supports.dcr`).',
  }),
  docs: ['https://fusionauth.io/docs/extend/examples/controlling-access-mcp-server'],
});
