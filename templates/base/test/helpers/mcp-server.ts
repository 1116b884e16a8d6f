import { createServer } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { startMcpServer, type RunningServer } from '../../src/start.js';

/** A free port on 127.0.0.1: the MCP URL (the token audience) must be known before the server starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface TestServer extends RunningServer {
  mcpUrl: string;
  /** Messages the server logged (errors are kept out of the test output). */
  logs: string[];
}

/** Starts the real MCP server (this project's framework and wiring) on 127.0.0.1 with the given environment. */
export async function startTestServer(env: Record<string, string>): Promise<TestServer> {
  const port = await freePort();
  const mcpUrl = env['MCP_SERVER_URL'] ?? `http://127.0.0.1:${port}/mcp`;
  const config = loadConfig({ HOST: '127.0.0.1', PORT: String(port), MCP_SERVER_URL: mcpUrl, ...env });
  const logs: string[] = [];
  const server = await startMcpServer(config, (message, error) => logs.push(`${message} ${String(error)}`));
  return Object.assign(server, { mcpUrl, logs });
}

/** The usual test pair: a stand-in issuer and the real server trusting it, on the same free port pair. */
export async function startServerWithTestIssuer(options: { host?: 'localhost' | '127.0.0.1'; env?: Record<string, string> } = {}) {
  const { startTestIssuer } = await import('./test-issuer.js');
  const port = await freePort();
  const mcpUrl = `http://${options.host ?? '127.0.0.1'}:${port}/mcp`;
  const issuer = await startTestIssuer({ audience: mcpUrl });
  const server = await startTestServer({ PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: issuer.issuer, ...options.env });
  return {
    issuer,
    server,
    async close() {
      await server.close();
      await issuer.close();
    },
  };
}
