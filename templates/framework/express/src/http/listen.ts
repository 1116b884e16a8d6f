import type { Server } from 'node:http';
import type { Express } from 'express';

/** Starts listening and resolves once the port is bound (port 0 picks a free one). */
export function listen(app: Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
