// Bundles src/cli.ts into dist/: one entry file, plus lazily loaded chunks for `create` (ejs, prompts, execa, zod)
// so `--help` and `--version` start fast. The package has no runtime dependencies: everything is in dist/.
import { chmod, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const outdir = new URL('../dist/', import.meta.url).pathname;

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Chunks stay flat in dist/ beside cli.js, so `new URL('../templates/', import.meta.url)` means the same everywhere.
  chunkNames: '[name]-[hash]',
  // The shebang makes dist/cli.js runnable as a bin; `require` lets the bundled CommonJS (prompts, ejs's deps) load builtins.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  legalComments: 'none',
  // Parsing is most of a cold start: minified chunks parse faster (error messages are ours, not identifiers).
  minify: true,
  logLevel: 'warning',
});
await chmod(new URL('cli.js', `file://${outdir}`), 0o755);
