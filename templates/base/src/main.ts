import { ConfigError, loadConfig, loadDotEnv } from './config.js';
import { checkAuthorizationServer, startMcpServer } from './start.js';
import { DiscoveryError } from './auth/index.js';

/** `npm start`: the MCP server alone. It never starts the development authorization server. */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const server = await startMcpServer(config);
  console.log(`MCP server listening on ${server.url}`);
  console.log(`MCP URL for clients: ${config.mcpServerUrl.href}`);
  await checkAuthorizationServer(server.mcpAuth);
  const stop = () => void server.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DiscoveryError) console.error(`error: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
