import { Agent, createServer, request } from 'node:http';

/**
 * A round-robin HTTP proxy in this process (node:http, 127.0.0.1:0): each request goes to the next replica in turn,
 * Host header kept (the replicas see the public origin, as behind a real load balancer), over keep-alive connections.
 * A replica that cannot be reached is answered 502 (it counts as a 5xx). Every answer is recorded — when it came, from
 * which replica, its status and whether it carried Retry-After — so 5xx can be placed inside or outside an outage.
 */
export async function startRoundRobin() {
  let targets = [];
  let agents = [];
  let next = 0;
  /** Parallel columns, one row per answer: Date.now() at the answer's head, replica index, status, Retry-After present. */
  const log = { at: [], replica: [], status: [], retryAfter: [] };
  const record = (replica, status, retryAfter) => {
    log.at.push(Date.now());
    log.replica.push(replica);
    log.status.push(status);
    log.retryAfter.push(retryAfter);
  };

  const server = createServer((req, res) => {
    const replica = next;
    next = (next + 1) % targets.length;
    const target = targets[replica];
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: agents[replica] }, (answer) => {
      record(replica, answer.statusCode, answer.headers['retry-after'] !== undefined);
      res.writeHead(answer.statusCode, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (res.headersSent) return void res.destroy();
      record(replica, 502, false);
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`replica ${replica} failed: ${error.code ?? error.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    log,
    setReplicas(urls) {
      targets = urls.map((url) => new URL(url));
      agents = targets.map(() => new Agent({ keepAlive: true, maxSockets: 64 }));
      next = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      for (const agent of agents) agent.destroy();
    },
  };
}
