import { createMcpHonoApp } from '@modelcontextprotocol/hono';
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
 * The HTTP surface: health → Host/Origin checks and JSON parsing (SDK) → CORS → RFC 9728 metadata →
 * AS metadata mirror → bearer gate → MCP. Everything auth-related is decided in `src/auth/`; this file only wires it.
 */
export function createApp({ config, mcpAuth, mcp, log }: AppOptions): Hono {
  const app = createMcpHonoApp({
    host: config.host,
    ...(config.allowedHosts ? { allowedHosts: config.allowedHosts } : {}),
    allowedOrigins: config.allowedOrigins,
  }) as unknown as Hono<{ Variables: AuthVariables }>;
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
    mcp.fetch(c.req.raw, { authInfo: c.get('auth'), parsedBody: c.get('parsedBody') }),
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
