import type { AuthInfo } from '@modelcontextprotocol/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthFailure, BearerAuthOptions, McpAuth } from '../auth/index.js';

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
 * Every Authorization header the client sent. `req.headers` silently keeps only the first of repeated ones, and
 * `req.headersDistinct` would copy every header of every request; scanning `rawHeaders` costs neither.
 */
function authorizationHeaders(req: Request): string[] {
  const values: string[] = [];
  const raw = req.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    if (raw[index]!.length === 13 && raw[index]!.toLowerCase() === 'authorization') values.push(raw[index + 1]!);
  }
  return values;
}

/**
 * Express adapter of the bearer gate: `app.use('/mcp', bearerAuth(mcpAuth, { requiredScopes: ['read'] }))`.
 * On success `req.auth` holds the token's details; otherwise the answer is a 400/401/403/503 with its challenge.
 */
export function bearerAuth(mcpAuth: McpAuth, options: BearerAuthOptions & { log?: (error: unknown) => void } = {}): RequestHandler {
  const log = options.log ?? ((error: unknown) => console.error('auth:', error));
  return async (req: Request, res: Response, next: NextFunction) => {
    const result = await mcpAuth.authenticate(authorizationHeaders(req), options);
    if (!result.ok) return sendAuthFailure(res, result.failure, log);
    req.auth = result.authInfo;
    next();
  };
}
