import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { generatedProject, scratchDir } from '../conformance/shared-cache.js';
import { freePort, start } from '../run.js';

/**
 * The flow the broker is compared with: a `--provider local` project (the e2e's shared one) and its development
 * authorization server, which MCP clients register with directly. Both run from source with the project's tsx (the
 * shared project is not built, and tests must not write into it); the authorization server's state goes to a temp dir.
 */
export interface DirectFlowServers {
  issuer: string;
  mcpUrl: string;
  stop(): Promise<void>;
}

export async function startDirectFlowServers(): Promise<DirectFlowServers> {
  const project = await generatedProject('express');
  const stateDir = scratchDir('direct-flow');
  const [authPort, mcpPort] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${authPort}`;
  const mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;
  const tsx = join(project, 'node_modules', '.bin', 'tsx');
  const env = { AUTH_ISSUER: issuer, MCP_SERVER_URL: mcpUrl, PORT: String(mcpPort), HOST: '127.0.0.1', DEV_AUTH_DATA_DIR: stateDir, DEV_AUTH_AUTO_APPROVE: '0' };
  const authServer = await start(tsx, ['dev/run-auth-server.ts'], { cwd: project, env, ready: /auto-approve: +off/, timeoutMs: 30_000 });
  const mcpServer = await start(tsx, ['src/main.ts'], { cwd: project, env, ready: /MCP URL for clients/, timeoutMs: 30_000 }).catch(async (error: unknown) => {
    await authServer.stop();
    throw error;
  });
  return {
    issuer,
    mcpUrl,
    async stop() {
      await Promise.all([mcpServer.stop(), authServer.stop()]);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
