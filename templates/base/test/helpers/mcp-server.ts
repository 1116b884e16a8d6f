import { createServer } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { startMcpServer, type RunningServer } from '../../src/start.js';

/** A free port on 127.0.0.1 at the time of asking: the MCP URL (the token audience) must be known before the server starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Runs `start` with a free port, and again with another one when that port was taken between the probe and the
 * listen: another test process, or a server this test started on port 0, can be handed the same port meanwhile.
 * `start` cleans up what it started before it throws.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= attempts) throw error;
    }
  }
}

export interface TestServer extends RunningServer {
  mcpUrl: string;
  /** Messages the server logged (errors are kept out of the test output). */
  logs: string[];
}

/**
 * Starts the real MCP server (this project's framework and wiring) on 127.0.0.1 with the given environment; without
 * `PORT`, on a free port with `MCP_SERVER_URL` http://127.0.0.1:<port>/mcp (read it back as `mcpUrl`).
 */
export async function startTestServer(env: Record<string, string>): Promise<TestServer> {
  if (env['PORT'] === undefined) return onFreePort((port) => startTestServer({ MCP_SERVER_URL: `http://127.0.0.1:${port}/mcp`, ...env, PORT: String(port) }));
  const mcpUrl = env['MCP_SERVER_URL'] ?? `http://127.0.0.1:${env['PORT']}/mcp`;
  const config = loadConfig({ HOST: '127.0.0.1', MCP_SERVER_URL: mcpUrl, ...env });
  const logs: string[] = [];
  const server = await startMcpServer(config, (message, error) => logs.push(`${message} ${String(error)}`));
  return Object.assign(server, { mcpUrl, logs });
}

/** The usual test pair: a stand-in issuer and the real server trusting it; the issuer's tokens name the server. */
export async function startServerWithTestIssuer(options: { host?: 'localhost' | '127.0.0.1'; env?: Record<string, string> } = {}) {
  const { startTestIssuer } = await import('./test-issuer.js');
  const issuer = await startTestIssuer();
  const server = await onFreePort((port) =>
    startTestServer({ PORT: String(port), MCP_SERVER_URL: `http://${options.host ?? '127.0.0.1'}:${port}/mcp`, AUTH_ISSUER: issuer.issuer, ...options.env }),
  ).catch(async (error: unknown) => {
    await issuer.close();
    throw error;
  });
  issuer.audience = server.mcpUrl;
  return {
    issuer,
    server,
    async close() {
      await server.close();
      await issuer.close();
    },
  };
}
