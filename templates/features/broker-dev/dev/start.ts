import { loadDotEnv } from '../src/config.js';
import { startBrokerDev } from './broker-dev.js';

/**
 * `npm run dev` in a broker project: a stand-in for the provider on http://127.0.0.1:3001 (DEV_UPSTREAM_PORT), then
 * the MCP server signing users in there, in one process (one Ctrl-C stops both). .env is read, never written: the
 * stand-in's client id and secret replace AUTH_CLIENT_ID and AUTH_CLIENT_SECRET for this process only.
 */
loadDotEnv();
const dev = await startBrokerDev({ env: process.env, upstreamPort: Number(process.env['DEV_UPSTREAM_PORT'] || 3001) });

console.log(`
  Provider stand-in (development)   ${dev.upstream.origin}   (${dev.upstream.kind === 'oidc' ? 'OpenID provider' : 'GitHub-like OAuth 2'}; sign in as ${dev.upstream.users.join(' or ')}, password = the name)
  MCP server and its broker         ${dev.server.url}

  Paste this URL into your MCP client (MCP Inspector, Claude, VS Code):

      ${dev.config.mcpServerUrl.href}

  The start script (production) uses the real provider of .env (AUTH_ISSUER, AUTH_CLIENT_ID, AUTH_CLIENT_SECRET).
`);

const stop = () => void dev.close().finally(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
