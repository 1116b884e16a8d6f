import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Context, MiddlewareHandler } from 'hono';
import { logOutagesQuietly, type AuthFailure, type BearerAuthOptions, type McpAuth } from '../auth/index.js';

/** What the gate leaves on the context for the MCP route. */
export type AuthVariables = { auth: AuthInfo };

/** Sends an auth core refusal as is: status, `WWW-Authenticate`, JSON body. */
export function sendAuthFailure(c: Context, failure: AuthFailure, log: (error: unknown) => void): Response {
  if (failure.status === 503) log(failure.cause);
  return c.json(failure.body, failure.status, failure.headers);
}

/**
 * Hono adapter of the bearer gate: `app.use('/mcp', bearerAuth(mcpAuth, { requiredScopes: ['read'] }))`.
 * On success `c.get('auth')` holds the token's details; otherwise the answer is a 400/401/403/503 with its challenge.
 */
export function bearerAuth(
  mcpAuth: McpAuth,
  options: BearerAuthOptions & { log?: (error: unknown) => void } = {},
): MiddlewareHandler<{ Variables: AuthVariables }> {
  // A 503's cause once per outage, not once per refused request.
  const log = logOutagesQuietly(options.log ?? ((error: unknown) => console.error('auth:', error)));
  return async (c, next) => {
    // Repeated Authorization (or DPoP) headers arrive joined with ", ", which the core refuses.
    const { headers, method } = c.req.raw;
    const result = await mcpAuth.authenticate({ authorization: headers.get('authorization'), dpop: headers.get('dpop'), method }, options);
    if (!result.ok) return sendAuthFailure(c, result.failure, log);
    c.set('auth', result.authInfo);
    await next();
  };
}
