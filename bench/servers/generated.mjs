// A generated project's own server, built to dist/, started the way `npm start` does — or the very same app with
// the bearer gate answering "ok" at once (auth off), to measure what the gate costs — or both in one process
// (`paired`: auth on PORT, off on PORT_OFF), so the two share one core, one heap and one JIT and can be compared in
// alternating bursts.
// argv: <project dir> <auth|off|paired>; env: PORT, PORT_OFF, MCP_SERVER_URL, AUTH_ISSUER. Reports over IPC (lib/child.mjs).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveOverIpc } from '../lib/child.mjs';

const [dir, mode] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(join(dir, 'dist', path)).href);
const { loadConfig } = await load('config.js');
const { startMcpServer, defaultLog } = await load('start.js');
const config = loadConfig(process.env);

/** The generated app with a gate that accepts every request as a fixed user, without looking at the header. */
async function startAuthOff(port) {
  const { createMcpAuth, serverType, tokenRules } = await load('auth/index.js');
  const { createApp } = await load('http/app.js');
  const { listen } = await load('http/listen.js');
  const { createMcpHttpHandler } = await load('mcp/handler.js');
  const { advertisedScopes } = await load('mcp/server.js');
  const mcpAuth = createMcpAuth({ issuer: config.issuer, type: serverType, resource: config.mcpServerUrl, audience: config.audience, scopes: advertisedScopes, rules: tokenRules });
  const authInfo = { token: 'off', clientId: 'bench', scopes: [...advertisedScopes], expiresAt: 4102444800, resourceMetadataUrl: mcpAuth.resourceMetadataUrl, extra: { subject: 'bench-user' } };
  const off = { ...mcpAuth, authenticate: async () => ({ ok: true, authInfo }) };
  const mcp = createMcpHttpHandler((error) => defaultLog('mcp', error));
  await listen(createApp({ config, mcpAuth: off, mcp, log: defaultLog }), config.host, port);
}

if (mode === 'auth' || mode === 'paired') await startMcpServer(config);
if (mode === 'off') await startAuthOff(config.port);
if (mode === 'paired') await startAuthOff(Number(process.env.PORT_OFF));
serveOverIpc();
