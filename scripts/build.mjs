// Bundles the CLI into dist/: cli.js (flags, help, dispatch) and one bundle per command (create.js, update.js,
// doctor.js), so `--help` loads one small file and `create` two. No runtime dependencies: everything is in dist/.
// The templates are compiled here too (src/render/precompile.ts) and bundled as `virtual:precompiled-templates`:
// the CLI never reads a template file nor loads ejs at run time.
import { mkdir, chmod, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url).pathname;
const outdir = `${root}dist/`;

/** Runs src/render/precompile.ts (TypeScript) by bundling it to a scratch module first. */
async function precompiledTemplatesModule() {
  const scratch = `${root}node_modules/.cache/create-mcp-auth-server/`;
  await mkdir(scratch, { recursive: true });
  const outfile = `${scratch}precompile-${process.pid}.mjs`;
  await build({ entryPoints: [`${root}src/render/precompile.ts`], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  try {
    const { precompileTemplates } = await import(outfile);
    return await precompileTemplates(`${root}templates`);
  } finally {
    await rm(outfile, { force: true });
  }
}

const templatesSource = await precompiledTemplatesModule();
const precompiledTemplatesPlugin = {
  name: 'precompiled-templates',
  setup(plugin) {
    plugin.onResolve({ filter: /^virtual:precompiled-templates$/ }, (args) => ({ path: args.path, namespace: 'precompiled-templates' }));
    plugin.onLoad({ filter: /.*/, namespace: 'precompiled-templates' }, () => ({ contents: templatesSource, loader: 'js' }));
  },
};

/**
 * cli.js imports each command's bundle by its entry module (`./entries/create.js`); in dist/ that is `./create.js`.
 * Bundles instead of shared chunks: `create` loads two files (cli.js, create.js), not a dozen chunks.
 */
const commandBundlesExternal = {
  name: 'command-bundles',
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\/entries\/[a-z-]+\.js$/ }, (args) => ({ path: args.path.replace('/entries/', '/'), external: true }));
  },
};

/** Libraries a command needs only sometimes (prompts on a terminal, execa for installs and git) are bundles too. */
const VENDORED = { prompts: 'default', execa: 'named', ejs: 'default' };
const vendorBundlesExternal = {
  name: 'vendor-bundles',
  setup(plugin) {
    plugin.onResolve({ filter: new RegExp(`^(${Object.keys(VENDORED).join('|')})$`) }, (args) => ({ path: `./vendor-${args.path}.js`, external: true }));
  },
};

const common = {
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The shebang makes dist/cli.js runnable as a bin; `require` lets the bundled CommonJS (prompts, ejs's deps) load builtins.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  legalComments: 'none',
  // Parsing is most of a cold start: minified code parses faster (error messages are ours, not identifiers).
  minify: true,
  logLevel: 'warning',
};

await rm(outdir, { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: { cli: 'src/cli.ts' }, plugins: [commandBundlesExternal] }),
  ...['create', 'update', 'doctor'].map((command) =>
    build({ ...common, entryPoints: { [command]: `src/entries/${command}.ts` }, plugins: [precompiledTemplatesPlugin, vendorBundlesExternal] }),
  ),
  ...Object.entries(VENDORED).map(([name, exports]) =>
    build({
      ...common,
      stdin: { contents: exports === 'default' ? `export { default } from '${name}';` : `export * from '${name}';`, resolveDir: root, loader: 'js' },
      outfile: `${outdir}vendor-${name}.js`,
      outdir: undefined,
    }),
  ),
]);
await chmod(`${outdir}cli.js`, 0o755);
