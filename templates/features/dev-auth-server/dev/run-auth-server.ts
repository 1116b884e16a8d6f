/**
 * `tsx dev/run-auth-server.ts`: the development authorization server alone, without the MCP server (`npm run dev`
 * runs both: start.ts). Settings from the environment: AUTH_ISSUER, MCP_SERVER_URL, MCP_SCOPES,
 * DEV_AUTH_AUTO_APPROVE, DEV_AUTH_DATA_DIR. Never use it in production.
 */
import { resolve } from 'node:path';
import { devUsers, startDevAuthServer } from './auth-server.js';

const envFlag = (value: string | undefined): boolean => ['1', 'true', 'yes', 'on'].includes((value ?? '').trim().toLowerCase());

async function main(): Promise<void> {
  const env = process.env;
  const resource = env.MCP_SERVER_URL || 'http://localhost:3000/mcp';
  const scopes = (env.MCP_SCOPES ?? 'read write').split(/\s+/).filter(Boolean);
  const dataDir = env.DEV_AUTH_DATA_DIR || '.dev-auth';
  const autoApprove = envFlag(env.DEV_AUTH_AUTO_APPROVE);
  const server = await startDevAuthServer({ issuer: env.AUTH_ISSUER || 'http://localhost:3001', resource, scopes, dataDir, autoApprove });
  console.log(`Development authorization server — never use in production
  issuer:       ${server.issuer}
  resource:     ${resource} (scopes: ${scopes.join(' ') || 'none'})
  users:        ${devUsers.map((u) => `${u.id} <${u.email}>`).join(', ')}
  auto-approve: ${autoApprove ? `on (signs in ${devUsers[0]?.id ?? '?'})` : 'off'}
  data:         ${resolve(dataDir)} (delete it to forget keys, clients and sessions)`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const inUse = (error as { code?: unknown } | null)?.code === 'EADDRINUSE';
  console.error(inUse ? `dev auth server: ${String(error)}; set AUTH_ISSUER to a free port.` : error);
  process.exit(1);
});
