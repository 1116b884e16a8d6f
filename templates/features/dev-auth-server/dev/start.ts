import { loadConfig, loadDotEnv } from '../src/config.js';
import { advertisedScopes } from '../src/mcp/server.js';
import { checkAuthorizationServer, startMcpServer } from '../src/start.js';
import { devUsers, startDevAuthServer } from './auth-server.js';

/**
 * `npm run dev` with the local provider: the development authorization server at AUTH_ISSUER, then the MCP server,
 * in one process (so one Ctrl-C stops both). Its keys, clients and grants live in `.dev-auth/`.
 */
loadDotEnv();
const config = loadConfig();
const authServer = await startDevAuthServer({
  issuer: config.issuer,
  resource: config.mcpServerUrl.href,
  scopes: [...advertisedScopes],
  dataDir: process.env['DEV_AUTH_DATA_DIR'] || '.dev-auth',
  autoApprove: process.env['DEV_AUTH_AUTO_APPROVE'] === '1',
});
const mcpServer = await startMcpServer(config);
await checkAuthorizationServer(mcpServer.mcpAuth);

console.log(`
  Development authorization server  ${authServer.issuer}   (dev users: ${devUsers.map((user) => user.id).join(', ')})
  MCP server                        ${mcpServer.url}

  Paste this URL into your MCP client (MCP Inspector, Claude, VS Code):

      ${config.mcpServerUrl.href}
`);

const stop = () => void Promise.allSettled([mcpServer.close(), authServer.close()]).finally(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
