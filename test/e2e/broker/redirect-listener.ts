import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An MCP client's loopback redirect URI (RFC 8252 §7.3): a local http listener that answers the browser a page to
 * close, as a desktop client does. The code itself is read from the browser's request (authorizeInBrowser).
 */
export interface RedirectListener {
  redirectUri: string;
  close(): Promise<void>;
}

export async function startRedirectListener(): Promise<RedirectListener> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Done</title><p>You can close this window.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
