import type { Server } from 'node:http';
import { createMcpAuth, DiscoveryError, providerDefaults, serverType, tokenRules, type McpAuth } from './auth/index.js';
import type { Config } from './config.js';
import { createApp } from './http/app.js';
import { listen } from './http/listen.js';
import { createMcpHttpHandler } from './mcp/handler.js';
import { advertisedScopes } from './mcp/server.js';

export interface RunningServer {
  /** Where the server listens (may differ from the public MCP URL behind a proxy). */
  url: string;
  mcpAuth: McpAuth;
  close(): Promise<void>;
}

export type Log = (message: string, error?: unknown) => void;

/** Logs without ever printing a token: errors are reduced to their message and code. */
export const defaultLog: Log = (message, error) =>
  console.error(error === undefined ? message : `${message}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);

/**
 * Builds and starts the MCP server for a configuration. Used by `src/main.ts`, the dev runner and the tests, so all
 * three run exactly the same wiring.
 */
export async function startMcpServer(config: Config, log: Log = defaultLog): Promise<RunningServer> {
  const mcpAuth = createMcpAuth({
    issuer: config.issuer,
    type: serverType,
    resource: config.mcpServerUrl,
    audience: config.audience,
    scopes: advertisedScopes,
    rules: config.audienceOptional ? { ...tokenRules, audience: 'if-present' } : tokenRules,
    tokenFormat: config.tokenFormat,
    introspection: { style: providerDefaults.introspection, ...config.introspection },
    metadataShim: config.metadataShim,
    tokenCacheMaxAgeMs: config.tokenCacheSeconds * 1000,
  });
  const mcp = createMcpHttpHandler((error) => log('mcp', error));
  const server: Server = await listen(createApp({ config, mcpAuth, mcp, log }), config.host, config.port);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    mcpAuth,
    async close() {
      await mcp.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Checks the provider once at start. A provider that answers for another issuer is a configuration error worth
 * stopping for; one that is merely unreachable is retried on the first request, so the server starts anyway.
 */
export async function checkAuthorizationServer(mcpAuth: McpAuth, log: Log = defaultLog): Promise<boolean> {
  try {
    await mcpAuth.authorizationServerMetadata();
    return true;
  } catch (error) {
    if (error instanceof DiscoveryError && error.kind === 'misconfigured') throw error;
    log('warning: the authorization server is unreachable for now; tokens are checked once it is back', error);
    return false;
  }
}
