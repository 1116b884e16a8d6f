import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/express';
import { toNodeHandler } from '@modelcontextprotocol/node';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { corsHeaders, preflightHeaders, type McpAuth } from '../auth/index.js';
import type { Config } from '../config.js';
import { MAX_REQUEST_BODY_BYTES, type McpFetchHandler } from '../mcp/handler.js';
import { bearerAuth } from './bearer-auth.js';

export interface AppOptions {
  config: Config;
  mcpAuth: McpAuth;
  mcp: McpFetchHandler;
  log: (message: string, error?: unknown) => void;
}

/**
 * The HTTP surface: health → Host/Origin checks (SDK) → CORS → RFC 9728 metadata → AS metadata mirror →
 * bearer gate → MCP. Everything auth-related is decided in `src/auth/`; this file only wires it to Express.
 */
export function createApp({ config, mcpAuth, mcp, log }: AppOptions): Express {
  // Not `createMcpExpressApp`: it installs `express.json()` for every request, which would read and parse the body
  // before the bearer gate. The body is read after the gate, by the MCP handler (see MAX_REQUEST_BODY_BYTES).
  const app = express();
  if (config.allowedHosts) app.use(hostHeaderValidation(config.allowedHosts));
  app.use(originValidation(config.allowedOrigins));
  app.disable('x-powered-by');
  app.use(cors);
  app.get(mcpAuth.resourceMetadataPaths as string[], (_req, res) => void res.json(mcpAuth.resourceMetadata));
  // The mirror serves the provider's metadata as published; with the metadata shim, a corrected copy (see src/auth/metadata-shim.ts).
  if (config.mirrorAuthServerMetadata || mcpAuth.metadataShim) {
    app.get(mcpAuth.authorizationServerMetadataPaths as string[], async (_req, res) => {
      try {
        res.json(await mcpAuth.authorizationServerMetadata());
      } catch (error) {
        log('authorization server metadata unavailable', error);
        res.status(503).set('Retry-After', '5').json({ error: 'temporarily_unavailable', error_description: 'the authorization server cannot be reached' });
      }
    });
  }
  const serveMcp = toNodeHandler(mcp, { onerror: (error) => log('mcp', error), maxRequestBodySize: MAX_REQUEST_BODY_BYTES });
  app.all(config.mcpServerUrl.pathname, bearerAuth(mcpAuth, { log: (error) => log('auth', error) }), (req, res) => void serveMcp(req, res));
  app.use((_req, res) => void res.status(404).json({ error: 'not_found' }));
  app.use(jsonErrors(log));

  // The health endpoint answers before the Host check: load balancers and orchestrators probe by IP address
  // (`Host: 10.0.3.7:3000`), which the allow-list built from MCP_SERVER_URL refuses. It reveals nothing.
  const root = express();
  root.disable('x-powered-by');
  root.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  root.use(app);
  return root;
}

const cors: RequestHandler = (req, res, next) => {
  if (req.method === 'OPTIONS') {
    res.status(204).set(preflightHeaders(req.headers.origin, req.headers['access-control-request-headers'])).end();
    return;
  }
  res.set(corsHeaders(req.headers.origin));
  next();
};

/** Errors (a malformed request Express refuses, a bug) become a JSON answer without a stack trace. */
function jsonErrors(log: AppOptions['log']): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, _req, res, _next) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log('unhandled', error);
    res.status(status).json({ jsonrpc: '2.0', error: { code: status === 500 ? -32603 : -32700, message: status === 500 ? 'Internal error' : 'Invalid request body' }, id: null });
  };
}
