/** The broker's paths on the MCP server's origin (the issuer). The callback is the one registered at the provider. */
export const BROKER_PATHS = {
  metadata: '/.well-known/oauth-authorization-server',
  jwks: '/oauth/jwks',
  register: '/oauth/register',
  authorize: '/oauth/authorize',
  consent: '/oauth/consent',
  callback: '/oauth/callback',
  token: '/oauth/token',
  revoke: '/oauth/revoke',
} as const;
