import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Only our tests: templates/ contains the generated project's own *.test.ts files, which are not ours to run.
    include: ['test/**/*.test.ts'],
    exclude: ['test/fixtures/**', 'node_modules/**'],
  },
});
