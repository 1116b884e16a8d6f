import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An MCP client's loopback redirect URI (RFC 8252 §7.3): a local http listener that captures the query of every
 * request the browser sends it, and answers a page to close, as a desktop client does.
 */
export interface RedirectListener {
  redirectUri: string;
  /** The query of the next request to the redirect URI (or of one already received and not yet taken). */
  next(timeoutMs?: number): Promise<URLSearchParams>;
  close(): Promise<void>;
}

export async function startRedirectListener(): Promise<RedirectListener> {
  const received: URLSearchParams[] = [];
  const waiting: ((params: URLSearchParams) => void)[] = [];
  const server = createServer((req, res) => {
    const params = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Done</title><p>You can close this window.</p>');
    const waiter = waiting.shift();
    if (waiter) waiter(params);
    else received.push(params);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    next(timeoutMs = 30_000) {
      const ready = received.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the redirect URI received no request')), timeoutMs);
        waiting.push((params) => (clearTimeout(timer), resolve(params)));
      });
    },
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
