import type { AuthInfo } from '@modelcontextprotocol/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { logOutagesQuietly, type AuthFailure, type BearerAuthOptions, type McpAuth } from '../auth/index.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The verified access token's details, set by `bearerAuth`; the MCP transport hands it to tools. */
    auth?: AuthInfo;
  }
}

/** Sends an auth core refusal as is: status, `WWW-Authenticate`, JSON body. */
export function sendAuthFailure(res: Response, failure: AuthFailure, log: (error: unknown) => void): void {
  if (failure.status === 503) log(failure.cause);
  res.status(failure.status).set(failure.headers).json(failure.body);
}

/**
 * Every Authorization and DPoP header the client sent. `req.headers` silently keeps only the first of repeated
 * Authorization headers, and `req.headersDistinct` would copy every header of every request; one scan of
 * `rawHeaders` costs neither.
 */
function credentialHeaders(req: Request): { authorization: string[]; dpop: string[] } {
  const found = { authorization: [] as string[], dpop: [] as string[] };
  const raw = req.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') found.authorization.push(raw[index + 1]!);
    else if (name.length === 4 && name.toLowerCase() === 'dpop') found.dpop.push(raw[index + 1]!);
  }
  return found;
}

/**
 * Express adapter of the bearer gate: `app.use('/mcp', bearerAuth(mcpAuth, { requiredScopes: ['read'] }))`.
 * On success `req.auth` holds the token's details; otherwise the answer is a 400/401/403/503 with its challenge.
 */
export function bearerAuth(mcpAuth: McpAuth, options: BearerAuthOptions & { log?: (error: unknown) => void } = {}): RequestHandler {
  // A 503's cause once per outage, not once per refused request.
  const log = logOutagesQuietly(options.log ?? ((error: unknown) => console.error('auth:', error)));
  return async (req: Request, res: Response, next: NextFunction) => {
    const result = await mcpAuth.authenticate({ ...credentialHeaders(req), method: req.method }, options);
    if (!result.ok) return sendAuthFailure(res, result.failure, log);
    req.auth = result.authInfo;
    next();
  };
}
