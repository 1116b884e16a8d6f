// The reference: `mcp-auth` 0.2.0 in its current resource-server mode (protected resource metadata + bearerAuth
// with audience), on `@modelcontextprotocol/sdk` 1.x with Express 5, stateless, with the same two tools.
// argv: [json] (answer plain JSON: `enableJsonResponse`; without it, an SSE stream per POST, the SDK's default).
// env: PORT, MCP_SERVER_URL, AUTH_ISSUER. Reports over IPC (see lib/child.mjs).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { fetchServerConfig, MCPAuth } from 'mcp-auth';
import { z } from 'zod';
import { serveOverIpc } from '../lib/child.mjs';

const enableJsonResponse = process.argv[2] === 'json';

const resource = process.env.MCP_SERVER_URL;
const authServerConfig = await fetchServerConfig(process.env.AUTH_ISSUER, { type: 'oidc' });
const mcpAuth = new MCPAuth({
  protectedResources: [{ metadata: { resource, authorizationServers: [authServerConfig], scopesSupported: ['read', 'write'] } }],
});

function createServer(auth) {
  const server = new McpServer({ name: 'reference', version: '1.0.0' });
  server.registerTool('add', { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));
  server.registerTool('whoami', { description: 'Who is calling' }, (_args, extra) => ({
    content: [{ type: 'text', text: JSON.stringify({ subject: extra.authInfo?.subject ?? null, scopes: extra.authInfo?.scopes ?? auth?.scopes }) }],
  }));
  return server;
}

const app = express();
app.use(express.json());
app.use(mcpAuth.protectedResourceMetadataRouter());
app.post('/mcp', mcpAuth.bearerAuth('jwt', { resource, audience: resource, requiredScopes: ['read'] }), async (req, res) => {
  const server = createServer(req.auth);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
await new Promise((resolve) => app.listen(Number(process.env.PORT), '127.0.0.1', resolve));
serveOverIpc();
