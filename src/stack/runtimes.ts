/**
 * Where the generated server runs, as data: what each runtime supports is stated here once, and validation,
 * prompts, `--help` and the templates read it from this table.
 */
import type { StackChoice } from './stack-choice.js';
import type { FrameworkId } from './frameworks.js';
import type { TransportId } from './transports.js';

export interface RuntimeChoice extends StackChoice {
  /** Frameworks the runtime can serve; another one is refused with `why`. */
  frameworks: readonly FrameworkId[];
  /** Transports the runtime can serve (a Worker has no process that outlives a request to hold sessions). */
  transports: readonly TransportId[];
  /** Broker mode: the broker keeps its state in a store this runtime has (a file or Redis; a Durable Object on Workers). */
  broker: boolean;
  /** Why the unsupported combinations are refused, in one clause. */
  why: string;
  /**
   * The command that serves the project in production (package.json `start`, the Dockerfile's CMD); none for a
   * Worker, which `wrangler` deploys. Deno's permissions: the network, the environment, reading the project.
   */
  serve?: readonly string[];
  /**
   * Which dependencies' install scripts a project for this runtime runs (npm 11 `allowScripts` in package.json, pnpm's
   * `allowBuilds`): each one decided, so no install warns or, with pnpm 11, fails on one left undecided. esbuild's
   * (via tsx, vitest, wrangler) only swaps its CLI's Node shim for the native binary, which the JS API finds itself.
   */
  installScripts: Readonly<Record<string, boolean>>;
  /** The flag that lets the server write to a folder, where the runtime asks (Deno's permissions). */
  allowWrite?: (folder: string) => string;
}

export const runtimes = [
  {
    id: 'node',
    label: 'Node.js',
    hint: 'Node 20.12+ or 22',
    frameworks: ['express', 'hono'],
    transports: ['stateless', 'stateful'],
    broker: true,
    why: '',
    installScripts: { esbuild: false },
    serve: ['node', '--enable-source-maps', 'dist/main.js'],
  },
  {
    id: 'bun',
    label: 'Bun',
    hint: 'Bun 1.2+; Hono on Bun.serve, Express on its Node HTTP layer',
    frameworks: ['express', 'hono'],
    transports: ['stateless', 'stateful'],
    broker: true,
    why: '',
    installScripts: { esbuild: false },
    serve: ['bun', 'src/main.ts'],
  },
  {
    id: 'deno',
    label: 'Deno',
    hint: 'Deno 2; Hono on Deno.serve, dependencies from npm',
    frameworks: ['hono'],
    transports: ['stateless', 'stateful'],
    broker: true,
    why: 'Express needs Node\'s HTTP server; Hono runs on Deno.serve',
    installScripts: { esbuild: false },
    serve: ['deno', 'run', '--allow-net', '--allow-env', '--allow-read', 'src/main.ts'],
    allowWrite: (folder: string) => `--allow-write=${folder}`,
  },
  {
    id: 'workers',
    label: 'Cloudflare Workers',
    hint: 'workerd, `wrangler dev` locally and `wrangler deploy`',
    frameworks: ['hono'],
    transports: ['stateless'],
    broker: true,
    why: 'a Worker answers fetch events (Hono, not Express) and holds no session between requests (stateless only)',
    // workerd's links its native binary (@cloudflare/workerd-<platform>) for wrangler; sharp (Miniflare's Images
    // binding, unused here) would try to build libvips.
    installScripts: { esbuild: false, sharp: false, workerd: true },
  },
] as const satisfies readonly RuntimeChoice[];

export type RuntimeId = (typeof runtimes)[number]['id'];

export function getRuntime(id: RuntimeId): RuntimeChoice {
  return runtimes.find((runtime) => runtime.id === id) as RuntimeChoice;
}

/**
 * The command that serves a project on `runtime`, allowed to write to `writes` (the broker's state folder) where the
 * runtime asks for that; undefined for a Worker.
 */
export function serveCommand(runtime: RuntimeChoice, writes?: string): string[] | undefined {
  if (!runtime.serve) return undefined;
  const entry = runtime.serve.slice(-1);
  const flags = writes !== undefined && runtime.allowWrite ? [runtime.allowWrite(writes)] : [];
  return [...runtime.serve.slice(0, -1), ...flags, ...entry];
}
