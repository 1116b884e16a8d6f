import type { Express } from 'express';

/** A bound server: the port it got (PORT 0 picks a free one) and how to stop it. */
export interface Listening {
  port: number;
  close(): Promise<void>;
}

/** Starts listening on Node's HTTP server (Bun's too) and resolves once the port is bound. */
export function listen(app: Express, host: string, port: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(error);
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () => {
          // Keep-alive sockets would hold close() open until they time out.
          server.closeAllConnections();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}
