import { createServer } from 'node:net';

/** A free port on 127.0.0.1 (the MCP URL, which is the token audience, must be known before a server starts). */
export const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
