/** Values several provider files share: algorithm lists, the generic token rules, the optional audience input. */

/** Every asymmetric JWS algorithm jose verifies with a public key from a JWKS. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA',
] as const;

/** The RSA and EC algorithms: for providers that sign with either family but never EdDSA. */
export const RSA_EC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;

/** Token rules of a server we know nothing about: the standard claims, any asymmetric algorithm. */
export const genericToken = {
  scopeClaims: ['scope', 'scp'],
  clientIdClaims: ['client_id', 'azp'],
  algorithms: ASYMMETRIC_ALGORITHMS,
} as const;

const MCP_URL_EXAMPLE = 'https://mcp.example.com/mcp';

/** An optional audience input: empty means the MCP server URL (what MCP clients send as `resource`). */
export const audienceInput = (flag: string, label: string) =>
  ({ id: 'audience', flag, label, example: MCP_URL_EXAMPLE, kind: 'audience', default: '' }) as const;
