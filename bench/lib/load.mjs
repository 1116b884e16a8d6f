import autocannon from 'autocannon';

/** Arguments of the tools the bench can call (BENCH_TOOL): `add` has an input schema, `whoami` none. */
export const TOOL_ARGS = { add: { a: 2, b: 3 }, whoami: {} };

/** Headers and body of an MCP `tools/call` of `add` (2025-11-25, stateless: no session needed). */
export function toolsCall(token, name = 'add', args = TOOL_ARGS[name] ?? {}) {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  };
}

/** Concurrent connections per run (BENCH_CONNECTIONS, default 8). */
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);

/** Runs autocannon against one URL; resolves with its result (requests, non2xx, errors, latency…). */
export function hammer(url, options) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, pipelining: 1, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
