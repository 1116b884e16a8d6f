import { hostHeaderValidation, originValidation } from '@modelcontextprotocol/hono';
import { Hono, type MiddlewareHandler } from 'hono';
import { corsHeaders, preflightHeaders, type McpAuth } from '../auth/index.js';
import type { Config } from '../config.js';
import type { McpFetchHandler } from '../mcp/handler.js';
import { bearerAuth, type AuthVariables } from './bearer-auth.js';

export interface AppOptions {
  config: Config;
  mcpAuth: McpAuth;
  mcp: McpFetchHandler;
  log: (message: string, error?: unknown) => void;
}

/**
 * The HTTP surface: health → Host/Origin checks (SDK) → CORS → RFC 9728 metadata → AS metadata mirror →
 * bearer gate → MCP. Everything auth-related is decided in `src/auth/`; this file only wires it.
 */
export function createApp({ config, mcpAuth, mcp, log }: AppOptions): Hono {
  // Not `createMcpHonoApp`: its JSON middleware reads and parses every body (up to 4 MiB) before the bearer gate.
  // The body is read after the gate, by the MCP handler (see MAX_REQUEST_BODY_BYTES).
  const app = new Hono<{ Variables: AuthVariables }>();
  if (config.allowedHosts) app.use('*', hostHeaderValidation(config.allowedHosts));
  app.use('*', originValidation(config.allowedOrigins));
  app.use('*', cors);
  for (const path of mcpAuth.resourceMetadataPaths) app.get(path, (c) => c.json(mcpAuth.resourceMetadata));
  // The mirror serves the provider's metadata as published; with the metadata shim, a corrected copy (see src/auth/metadata-shim.ts).
  if (config.mirrorAuthServerMetadata || mcpAuth.metadataShim) {
    for (const path of mcpAuth.authorizationServerMetadataPaths) app.get(path, async (c) => {
      try {
        return c.json(await mcpAuth.authorizationServerMetadata());
      } catch (error) {
        log('authorization server metadata unavailable', error);
        return c.json({ error: 'temporarily_unavailable', error_description: 'the authorization server cannot be reached' }, 503, { 'Retry-After': '5' });
      }
    });
  }
  app.all(config.mcpServerUrl.pathname, bearerAuth(mcpAuth, { log: (error) => log('auth', error) }), (c) =>
    mcp.fetch(c.req.raw, { authInfo: c.get('auth') }),
  );
  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  app.onError((error, c) => {
    log('unhandled', error);
    return c.json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }, 500);
  });

  // The health endpoint answers before the Host check: load balancers and orchestrators probe by IP address
  // (`Host: 10.0.3.7:3000`), which the allow-list built from MCP_SERVER_URL refuses. It reveals nothing.
  return new Hono().get('/healthz', (c) => c.json({ status: 'ok' })).all('*', (c) => app.fetch(c.req.raw, c.env));
}

const cors: MiddlewareHandler = async (c, next) => {
  const origin = c.req.header('origin');
  if (c.req.method === 'OPTIONS') return c.body(null, 204, preflightHeaders(origin, c.req.header('access-control-request-headers')));
  await next();
  for (const [name, value] of Object.entries(corsHeaders(origin))) c.res.headers.set(name, value);
};
