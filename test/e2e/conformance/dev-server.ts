import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, start } from '../run.js';
import { scratchDir } from './shared-cache.js';

export interface DevServer {
  mcpUrl: string;
  issuer: string;
  /** An access token from the real flow: registration, authorization code + PKCE, sign-in as the first dev user. */
  fetchAccessToken(): Promise<string>;
  /** The project's own headless browser (an `OAuthClientProvider` usable by any MCP SDK client). */
  OAuthBrowser: new (options?: { clientName?: string }) => object;
  stop(): Promise<void>;
}

/**
 * What `npm run dev` runs (the development authorization server + the MCP server, one process), without the file
 * watcher, with the dev server's state in a private temp dir so that a shared generated project stays untouched.
 */
export async function startDevServer(projectDir: string): Promise<DevServer> {
  const [port, authPort] = [await freePort(), await freePort()];
  const mcpUrl = `http://localhost:${port}/mcp`;
  const issuer = `http://localhost:${authPort}`;
  const state = scratchDir('dev-auth');
  const server = await start('node', ['--import', 'tsx', 'dev/start.ts'], {
    cwd: projectDir,
    env: { PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: issuer, DEV_AUTH_AUTO_APPROVE: '1', DEV_AUTH_DATA_DIR: state },
    ready: /Paste this URL/,
  });
  const helper = (await import(pathToFileURL(join(projectDir, 'test/helpers/oauth-browser.ts')).href)) as {
    fetchAccessToken(mcpUrl: string, options?: { clientName?: string }): Promise<string>;
    OAuthBrowser: DevServer['OAuthBrowser'];
  };
  return {
    mcpUrl,
    issuer,
    fetchAccessToken: () => helper.fetchAccessToken(mcpUrl, { clientName: 'create-mcp-auth-server e2e' }),
    OAuthBrowser: helper.OAuthBrowser,
    async stop() {
      await server.stop();
      rmSync(state, { recursive: true, force: true });
    },
  };
}
