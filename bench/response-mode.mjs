// Response modes, in process (no sockets): server CPU per 2025-era `tools/call` through the generated MCP handler
// (plain JSON where nothing streams) vs the SDK's own stateless fallback, which is what the handler was before (an SSE
// stream for every POST), on the same generated Hono project, in one process, in rotated blocks. CPU time of this
// process, not wall time, so a loaded machine slows both alike instead of deciding the result.
// env: BENCH_BLOCKS (default 200), BENCH_BLOCK_SIZE (requests per block, default 25).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generatedProject } from './lib/generated.mjs';
import { median, TOOL_ARGS } from './lib/load.mjs';

const blocks = Number(process.env.BENCH_BLOCKS ?? 200);
const blockSize = Number(process.env.BENCH_BLOCK_SIZE ?? 25);
const dir = generatedProject('hono', 'stateless');
const load = (path) => import(pathToFileURL(join(dir, path)).href);
const { createMcpHttpHandler, MAX_REQUEST_BODY_BYTES } = await load('dist/mcp/handler.js');
const { createMcpServer, advertisedScopes } = await load('dist/mcp/server.js');
const { createMcpHandler } = await load('node_modules/@modelcontextprotocol/server/dist/index.mjs');

const authInfo = { token: 'bench', clientId: 'bench', scopes: [...advertisedScopes], expiresAt: 4102444800, extra: { subject: 'bench-user' } };
const variants = {
  'ours (JSON where nothing streams)': createMcpHttpHandler(() => {}),
  'SDK stateless fallback (SSE, before)': createMcpHandler(createMcpServer, { legacy: 'stateless', onerror: () => {}, maxRequestBodySize: MAX_REQUEST_BODY_BYTES }),
};
const request = (tool, progressToken) =>
  new Request('http://127.0.0.1:3000/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: TOOL_ARGS[tool], ...(progressToken ? { _meta: { progressToken } } : {}) } }),
  });
const send = async (handler, tool) => {
  const response = await handler.fetch(request(tool), { authInfo });
  if (response.status !== 200) throw new Error(`answered ${response.status}`);
  await response.text();
  return response.headers.get('content-type');
};

console.log(`\n## Response modes, in process: 2025-era tools/call, CPU per request (${blocks} rotated blocks of ${blockSize})\n`);
console.log('| tool | ours: content-type | µs/req | before (SSE): content-type | µs/req | before / ours |');
console.log('|---|---|---|---|---|---|');
for (const tool of ['whoami', 'add']) {
  const names = Object.keys(variants);
  const types = {};
  for (const name of names) for (let i = 0; i < 300; i++) types[name] = await send(variants[name], tool); // warm-up
  const cpu = Object.fromEntries(names.map((name) => [name, []]));
  for (let block = 0; block < blocks; block++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(j + block) % names.length];
      const start = process.cpuUsage();
      for (let i = 0; i < blockSize; i++) await send(variants[name], tool);
      const used = process.cpuUsage(start);
      cpu[name].push((used.user + used.system) / blockSize);
    }
  }
  const [ours, before] = names.map((name) => median(cpu[name]));
  console.log(`| ${tool} | ${types[names[0]]} | ${ours.toFixed(0)} | ${types[names[1]]} | ${before.toFixed(0)} | ×${(before / ours).toFixed(2)} |`);
}
await Promise.all(Object.values(variants).map((handler) => handler.close()));
