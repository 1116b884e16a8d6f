import { defineConfig } from 'vitest/config';

/** Builds dist/ once before the projects that run the built CLI. */
const buildCliFirst = ['test/build-cli.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        // Only our tests: templates/ holds the generated project's own *.test.ts files, which are not ours to run.
        // No build needed: these import src/ directly, so they pass on a clean checkout.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // The built CLI (dist/) run as a process or read as files: bundle shape, exit codes, argv, package managers.
        test: { name: 'cli', include: ['test/cli/**/*.test.ts'], globalSetup: buildCliFirst },
      },
      {
        // The e2e installs real dependencies and boots servers: minutes, not the 5 s unit default.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: buildCliFirst,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
