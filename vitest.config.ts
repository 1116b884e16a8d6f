import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // Only our tests: templates/ holds the generated project's own *.test.ts files, which are not ours to run.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // The e2e installs real dependencies and boots servers: minutes, not the 5 s unit default.
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 600_000 },
      },
    ],
  },
});
