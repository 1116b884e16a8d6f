import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** Starts listening and resolves once the port is bound (port 0 picks a free one). */
export function listen(app: Pick<Hono, 'fetch'>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(server as Server));
    server.once('error', reject);
  });
}
