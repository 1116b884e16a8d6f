/**
 * CORS for browser-based MCP clients (MCP Inspector, web apps). Tokens travel in the Authorization header, never in
 * cookies, so any origin that passed Origin validation may read the answers; the challenge header must be exposed
 * or a browser client cannot discover the authorization server.
 */
const EXPOSED = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version';
const DEFAULT_ALLOWED = 'Authorization, DPoP, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Mcp-Method, Mcp-Name, Last-Event-ID';
const MAX_AGE_SECONDS = '600';

/** Headers for an ordinary response. */
export function corsHeaders(origin: string | null | undefined): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin || '*',
    'Access-Control-Expose-Headers': EXPOSED,
    ...(origin ? { Vary: 'Origin' } : {}),
  };
}

/** Headers for a preflight (`OPTIONS`) answer: 204 with these. Requested header names are echoed when well-formed. */
export function preflightHeaders(origin: string | null | undefined, requestedHeaders: string | null | undefined): Record<string, string> {
  const echoed = requestedHeaders && /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/.test(requestedHeaders) ? requestedHeaders : DEFAULT_ALLOWED;
  return {
    ...corsHeaders(origin),
    'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': echoed,
    'Access-Control-Max-Age': MAX_AGE_SECONDS,
  };
}
