import { McpServer, requireScopes, type ServerContext } from '@modelcontextprotocol/server';
import { SCOPES } from '../scopes.js';
import type { Caller, ToolDefinition } from '../tools/define-tool.js';
import { tools } from '../tools/index.js';
import { name, version } from './server-info.js';

/** Every scope a client may need: the configured ones plus any a tool declares. Advertised in metadata and 401s. */
export const advertisedScopes: readonly string[] = [...new Set([...SCOPES, ...tools.flatMap((tool) => tool.scopes)])];

/**
 * Tools declared `streams: true`: a 2025-era call to one is answered as an SSE stream even without a progress token
 * (see `wantsStream` in handler.ts).
 */
export const streamingTools: ReadonlySet<string> = new Set(tools.filter((tool) => tool.streams).map((tool) => tool.name));

/**
 * A fresh MCP server with every tool registered. The SDK calls this per request (stateless) or per session
 * (stateful), so it must stay cheap: no I/O here.
 */
export function createMcpServer(): McpServer {
  const server = new McpServer({ name, version });
  for (const tool of tools) registerTool(server, tool);
  return server;
}

function registerTool(server: McpServer, tool: ToolDefinition): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
      // The SDK answers HTTP 403 insufficient_scope before the handler runs when the token lacks a scope.
      scopeChallenge: requireScopes(...tool.scopes),
    },
    (input, ctx) => tool.handler(input, callerOf(ctx), ctx),
  );
}

function callerOf(ctx: ServerContext): Caller {
  const auth = ctx.http?.authInfo;
  // The HTTP layer refuses unauthenticated requests before they reach a tool; this guards against miswiring.
  if (!auth) throw new Error('tool called without authentication: is the bearer middleware in front of /mcp?');
  const subject = auth.extra?.['subject'];
  return { subject: typeof subject === 'string' ? subject : auth.clientId, clientId: auth.clientId, scopes: auth.scopes, auth };
}
