/**
 * A small load balancer for the replica tests: node:http on 127.0.0.1:0, each request forwarded to the next replica
 * in turn with its Host header kept (the replicas see the public origin, as behind a real proxy). A replica that
 * refuses the connection gets the request answered 502 and is taken out of the rotation (a passive health check,
 * like nginx's `max_fails=1`): a dead replica costs the client one failed request, not one in every three.
 */
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Forwarded {
  /** Index of the replica that answered (or failed). */
  replica: number;
  method: string;
  path: string;
  status: number;
}

export interface RoundRobinProxy {
  /** http://127.0.0.1:<port>: the public origin of every replica (MCP_SERVER_URL's origin). */
  origin: string;
  /** The replicas' listening URLs, in rotation order; set after they start (they need the proxy's origin first). */
  setReplicas(urls: readonly string[]): void;
  /** The replica the next request goes to, and a way to choose it (to make a test's path through replicas explicit). */
  peekNext(): number;
  sendNextTo(replica: number): void;
  /** Every forwarded request, in order. */
  readonly log: Forwarded[];
  /** Replicas taken out of the rotation after a refused connection. */
  readonly down: ReadonlySet<number>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  let replicas: URL[] = [];
  let next = 0;
  const down = new Set<number>();
  const log: Forwarded[] = [];

  function pick(): number {
    for (let tries = 0; tries < replicas.length; tries++) {
      const candidate = next;
      next = (next + 1) % replicas.length;
      if (!down.has(candidate)) return candidate;
    }
    return -1;
  }

  function relay(req: IncomingMessage, res: ServerResponse): void {
    const replica = pick();
    const entry: Forwarded = { replica, method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://proxy.invalid').pathname, status: 502 };
    log.push(entry);
    const target = replicas[replica];
    if (!target) return void res.writeHead(502, { 'content-type': 'text/plain' }).end('no replica left');
    const upstream = forward(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: false },
      (answer) => {
        entry.status = answer.statusCode ?? 502;
        res.writeHead(entry.status, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') down.add(replica);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`replica ${replica} failed: ${error.code ?? error.message}`);
      else res.destroy();
    });
    req.pipe(upstream);
  }

  const server = createServer(relay);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setReplicas(urls) {
      replicas = urls.map((url) => new URL(url));
      down.clear();
      next = 0;
    },
    peekNext() {
      for (let tries = 0; tries < replicas.length; tries++) {
        const candidate = (next + tries) % replicas.length;
        if (!down.has(candidate)) return candidate;
      }
      return -1;
    },
    sendNextTo(replica) {
      next = replica;
    },
    log,
    down,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
