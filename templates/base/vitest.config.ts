import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real servers on 127.0.0.1; the OAuth flow test also starts the dev authorization server.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
