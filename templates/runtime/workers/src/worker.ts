/**
 * The Cloudflare Worker: every request goes to the same app the Node tests serve (src/start.ts), built once per
 * isolate from the Worker's bindings (wrangler.jsonc `vars`, secrets from `wrangler secret put` or .dev.vars).
 *
 * Nothing happens at module top level: workerd refuses randomness, timers and I/O outside a request, and a
 * configuration error is better reported per request than as a Worker that fails to load. The server is built on
 * the first request, and what it holds lives as long as the isolate: the provider's metadata and JWKS (fetched on
 * first use, per isolate) and the cache of verified tokens (AUTH_TOKEN_CACHE_SECONDS). Isolates do not share them:
 * each one fetches the JWKS itself, and a token is verified once in every isolate it reaches.
 */
import type { ExecutionContext } from 'hono';
import { ConfigError, loadConfig } from './config.js';
import { createMcpServer, defaultLog, type McpServer } from './start.js';

/** The Worker's bindings: the configuration is the string ones (vars and secrets); other kinds are ignored. */
export type Env = Record<string, unknown>;

let server: Promise<McpServer> | undefined;

/**
 * workerd refuses `fetch(url, { redirect: 'error' })` ("won't be implemented"), which the auth core uses for every
 * request to the provider (discovery, the JWKS's metadata, introspection: a redirect there is refused, never
 * followed). This gives it the same meaning on workerd: the request is sent with 'manual', and a redirect answer
 * becomes the network error that 'error' would have thrown.
 */
function refusingRedirects(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    if (init?.redirect !== 'error') return fetch(input, init);
    const response = await fetch(input, { ...init, redirect: 'manual' });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new TypeError(`fetch failed: the answer is a redirect (${response.status}), and redirects are refused`);
    }
    return response;
  };
}

/** The isolate's server, built on first use; a failed build is not kept, so the next request tries again. */
function serverFor(env: Env): Promise<McpServer> {
  server ??= (async () => {
    if (!('refusingRedirects' in globalThis.fetch)) globalThis.fetch = Object.assign(refusingRedirects(globalThis.fetch), { refusingRedirects: true });
    const vars = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    return createMcpServer(loadConfig(vars));
  })().catch((error: unknown) => {
    server = undefined;
    throw error;
  });
  return server;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let app: McpServer['app'];
    try {
      ({ app } = await serverFor(env));
    } catch (error) {
      // A ConfigError lists every problem by variable name, never a value: safe for `wrangler tail`.
      if (error instanceof ConfigError) console.error(`error: ${error.message}`);
      else defaultLog('the MCP server could not start', error);
      return Response.json({ error: 'server_error', error_description: 'the MCP server is misconfigured: see its log' }, { status: 500 });
    }
    return app.fetch(request, env, ctx);
  },
};
