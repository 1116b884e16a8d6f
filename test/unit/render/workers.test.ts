import { describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { planLayers } from '../../../src/render/plan.js';
import { renderProject } from '../../../src/render/render.js';
import { versions } from '../../../src/versions.js';

/** `--runtime workers`: a Hono project for Cloudflare Workers, rendered from the real templates. */
const TEMPLATES = new URL('../../../templates/', import.meta.url);
const workers = (overrides: Partial<Answers> = {}): Answers => ({
  projectName: '@acme/MCP.server', provider: 'local', framework: 'hono', transport: 'stateless', scopes: ['read', 'write'],
  issuer: 'http://localhost:3001', packageManager: 'npm', runtime: 'workers', ...overrides,
});

async function render(answers: Answers, secrets: { brokerSecret?: string } = {}) {
  const files = await renderProject(TEMPLATES, planLayers(answers), createTemplateContext(answers, undefined, secrets));
  const text = (path: string) => String(files.get(path));
  const pkg = JSON.parse(text('package.json')) as { engines: Record<string, string>; scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string>; allowScripts: Record<string, boolean> };
  return { files, text, pkg };
}

/** wrangler.jsonc without its comments (whole-line `//` comments only: that is how the template writes them). */
const jsonc = (text: string) => JSON.parse(text.split('\n').filter((line) => !line.trim().startsWith('//')).join('\n')) as Record<string, unknown>;

describe('a Workers project', () => {
  test('has the Worker, its wrangler config and .dev.vars, and no main.ts, Dockerfile, .dockerignore or .env', async () => {
    const { files } = await render(workers());
    for (const path of ['src/worker.ts', 'wrangler.jsonc', '.dev.vars', 'dev/start.ts', 'test/runtime/workers.test.ts', 'test/helpers/wrangler-dev.ts', 'src/http/listen.ts', 'src/start.ts']) {
      expect(files.has(path), path).toBe(true);
    }
    for (const path of ['src/main.ts', 'Dockerfile', '.dockerignore', '.env']) expect(files.has(path), path).toBe(false);
  });

  test('package.json: dev beside wrangler dev, deploy, wrangler pinned, Node 22.12+, workerd\'s install script allowed', async () => {
    const { pkg } = await render(workers());
    expect(pkg.scripts).toEqual({ dev: 'tsx dev/start.ts', deploy: 'wrangler deploy', test: 'vitest run', typecheck: 'tsc --noEmit' });
    expect(pkg.devDependencies['wrangler']).toBe(versions.wrangler);
    expect(pkg.devDependencies['@hono/node-server']).toBe(versions['@hono/node-server']);
    expect(pkg.dependencies['@hono/node-server']).toBeUndefined();
    expect(pkg.engines).toEqual({ node: '>=22.12.0' });
    expect(pkg.allowScripts).toEqual({ esbuild: false, sharp: false, workerd: true });
  });

  test('without the development authorization server, dev is wrangler dev alone', async () => {
    const { files, pkg, text } = await render(workers({ provider: 'auth0', issuer: 'https://acme.auth0.com/', providerInputs: { domain: 'acme.auth0.com' } }));
    expect(pkg.scripts['dev']).toBe('wrangler dev --ip 127.0.0.1 --port 3000');
    expect(files.has('dev/start.ts')).toBe(false);
    expect(text('test/runtime/workers.test.ts')).not.toContain('dev/auth-server');
    expect(jsonc(text('wrangler.jsonc'))['vars']).toMatchObject({ AUTH_ISSUER: 'https://acme.auth0.com/' });
  });

  test('wrangler.jsonc: a valid Worker name, src/worker.ts, nodejs_compat, the non-secret vars', async () => {
    const { text } = await render(workers());
    const config = jsonc(text('wrangler.jsonc'));
    expect(config).toMatchObject({ name: 'acme-mcp-server', main: 'src/worker.ts', compatibility_flags: ['nodejs_compat'] });
    // At most the date the pinned wrangler's workerd supports (wrangler 4.164: workerd 1.20261117).
    expect(String(config['compatibility_date']) <= '2026-11-17').toBe(true);
    expect(config['vars']).toEqual({ MCP_SERVER_URL: 'http://localhost:3000/mcp', AUTH_ISSUER: 'http://localhost:3001', AUTH_TOKEN_CACHE_SECONDS: '60' });
    expect(text('wrangler.jsonc')).toMatch(/nodejs_compat: .*node:crypto's `hash`/);
  });

  test('secrets stay out of wrangler.jsonc: introspection credentials are in .dev.vars', async () => {
    const { text } = await render(workers({ provider: 'zitadel', issuer: 'https://acme.zitadel.cloud', providerInputs: { domain: 'acme.zitadel.cloud' } }));
    expect(text('wrangler.jsonc')).not.toContain('SECRET"');
    expect(jsonc(text('wrangler.jsonc'))['vars']).toMatchObject({ AUTH_TOKEN_FORMAT: 'opaque' });
    expect(text('.dev.vars')).toContain('AUTH_INTROSPECTION_CLIENT_SECRET=');
  });

  test('.gitignore keeps .dev.vars and wrangler\'s state out of git', async () => {
    const { text } = await render(workers());
    expect(text('.gitignore')).toContain('\n.dev.vars*\n');
    expect(text('.gitignore')).toContain('\n.wrangler/\n');
  });

  test('listen.ts serves on Node for the tests; the Worker imports createServerParts only, never startMcpServer', async () => {
    const { text } = await render(workers());
    expect(text('src/http/listen.ts')).toContain("await import('@hono/node-server')");
    expect(text('src/worker.ts')).toMatch(/import \{ createServerParts, defaultLog, type ServerParts \} from '\.\/start\.js'/);
    expect(text('src/worker.ts')).not.toContain('startMcpServer(');
  });

  test('the README has the Workers section and no Docker deployment; CI runs on Node 22 and bundles with wrangler', async () => {
    const { text } = await render(workers());
    expect(text('README.md')).toContain('## Cloudflare Workers');
    expect(text('README.md')).toContain('wrangler secret put NAME');
    expect(text('README.md')).not.toContain('docker build');
    expect(text('.github/workflows/ci.yml')).toContain('node: [22]');
    expect(text('.github/workflows/ci.yml')).toContain('npx wrangler deploy --dry-run --outdir dist');
  });
});

describe('a Workers broker project (--provider github)', () => {
  const SECRET = 'b'.repeat(43);
  const broker = () => render(workers({ provider: 'github', broker: true, issuer: 'https://github.com' }), { brokerSecret: SECRET });

  test('has the Durable Object store and its types; a resource-server Worker has none of them', async () => {
    const { files } = await broker();
    for (const path of ['src/broker/state-object.ts', 'src/broker/durable-object-store.ts', 'src/cloudflare-workers.d.ts', 'src/broker/index.ts', 'dev/start.ts', 'test/runtime/workers.test.ts', 'test/broker/durable-object-store.test.ts']) {
      expect(files.has(path), path).toBe(true);
    }
    for (const path of ['.env', 'src/main.ts', 'Dockerfile']) expect(files.has(path), path).toBe(false);
    const { files: plain } = await render(workers());
    for (const path of ['src/broker/state-object.ts', 'src/broker/durable-object-store.ts', 'src/cloudflare-workers.d.ts', 'test/broker/durable-object-store.test.ts']) expect(plain.has(path), path).toBe(false);
  });

  test('only src/worker.ts imports the Durable Object class (cloudflare:workers): nothing the Node tests load does', async () => {
    const { files, text } = await broker();
    expect(text('src/worker.ts')).toContain("export { BrokerState } from './broker/state-object.js';");
    expect(text('src/worker.ts')).toContain('createServerParts(config, defaultLog, { brokerStore: createDurableObjectStore(namespace, BROKER_STATE_NAME) })');
    expect(text('src/broker/state-object.ts')).toContain("import { DurableObject } from 'cloudflare:workers';");
    const importers = [...files.keys()].filter((path) => /\.ts$/.test(path) && /from '[^']*(state-object\.js|cloudflare:workers)'/.test(text(path)));
    expect(importers.sort()).toEqual(['src/broker/state-object.ts', 'src/worker.ts']);
  });

  test('createServerParts takes the Worker\'s store, and turns CIMD off, on Workers only; a Node broker renders as before', async () => {
    const { text } = await broker();
    expect(text('src/start.ts')).toContain('worker?: { brokerStore: BrokerStore }');
    expect(text('src/start.ts')).toContain("const onWorker = worker ? { store: worker.brokerStore, metadataDocuments: false } : {};");
    const node = await render(workers({ provider: 'github', broker: true, issuer: 'https://github.com', runtime: 'node' }), { brokerSecret: SECRET });
    expect(node.text('src/start.ts')).not.toContain('brokerStore');
    expect(node.text('src/start.ts')).toContain('export async function createServerParts(config: Config, log: Log = defaultLog): Promise<ServerParts> {');
  });

  test('wrangler.jsonc binds the Durable Object with a SQLite migration; the vars hold no secret and no state file', async () => {
    const { text } = await broker();
    const config = jsonc(text('wrangler.jsonc'));
    expect(config['durable_objects']).toEqual({ bindings: [{ name: 'BROKER_STATE', class_name: 'BrokerState' }] });
    expect(config['migrations']).toEqual([{ tag: 'v1', new_sqlite_classes: ['BrokerState'] }]);
    expect(config['vars']).toEqual({
      MCP_SERVER_URL: 'http://localhost:3000/mcp',
      AUTH_ISSUER: 'https://github.com',
      AUTH_CLIENT_ID: '',
      AUTH_UPSTREAM_SCOPES: 'read:user,user:email',
      AUTH_AUTHORIZATION_URL: 'https://github.com/login/oauth/authorize',
      AUTH_TOKEN_URL: 'https://github.com/login/oauth/access_token',
      AUTH_USERINFO_URL: 'https://api.github.com/user',
      AUTH_USER_ID_FIELD: 'id',
      AUTH_UPSTREAM_PROFILE_URL: 'https://api.github.com/user',
    });
    expect(text('wrangler.jsonc')).not.toContain(SECRET);
  });

  test('.dev.vars holds the secrets: the generated AUTH_BROKER_SECRET and an empty AUTH_CLIENT_SECRET', async () => {
    const { text } = await broker();
    expect(text('.dev.vars')).toContain(`\nAUTH_BROKER_SECRET=${SECRET}\n`);
    expect(text('.dev.vars')).toContain('\nAUTH_CLIENT_SECRET=\n');
    expect(text('.dev.vars')).toContain('wrangler secret put AUTH_BROKER_SECRET');
  });

  test('dev runs the provider stand-in on Node beside wrangler dev, handing it the settings in a file', async () => {
    const { pkg, text } = await broker();
    expect(pkg.scripts['dev']).toBe('tsx dev/start.ts');
    const dev = text('dev/start.ts');
    expect(dev).toContain('startGitHubStandIn');
    expect(dev).toContain("'--env-file', envFile");
    expect(dev).toContain("process.once('SIGINT'");
    expect(dev).not.toContain('startMcpServer');
  });

  test('the README explains the Durable Object store, why not KV, and the secrets to put', async () => {
    const { text } = await broker();
    const readme = text('README.md');
    expect(readme).toContain('### State: one Durable Object');
    expect(readme).toContain('Workers KV would not');
    expect(readme).toContain('wrangler secret put AUTH_CLIENT_SECRET');
    expect(readme).toContain('wrangler secret put AUTH_BROKER_SECRET');
    expect(readme).toContain('### Values for `wrangler.jsonc` and `.dev.vars`');
    expect(readme).not.toContain('### State, and several replicas');
    expect(readme).not.toContain('AUTH_TOKEN_CACHE_SECONDS');
  });
});
