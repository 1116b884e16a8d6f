// Benchmark 1: authenticated MCP `tools/call` throughput of the generated Express and Hono servers, against the
// same servers with the bearer gate answering "ok" at once (auth off), and against a reference server on
// `mcp-auth` 0.2.0 + `@modelcontextprotocol/sdk` 1.x. Servers run one at a time in their own process, in rounds
// (A B C … A B C …) so machine noise hits all of them alike; figures are medians and ratios from this one run.
// env: BENCH_SECONDS (per measurement, default 4), BENCH_ROUNDS (default 3).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generatedProject } from './lib/generated.mjs';
import { startChild } from './lib/child.mjs';
import { canPin, pin } from './lib/cpu.mjs';
import { freePort } from './lib/free-port.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { hammer, median, toolsCall } from './lib/load.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const here = import.meta.dirname;
// Load generator on core 0, servers on core 1 (lib/cpu.mjs), unless BENCH_PIN=0 or the machine cannot.
const pinned = process.env.BENCH_PIN !== '0' && canPin();
if (pinned) pin(process.pid, 0);

const projects = { express: generatedProject('express'), hono: generatedProject('hono') };
const issuer = await startIssuer();
const targets = [
  { name: 'express (auth)', script: join(here, 'servers/generated.mjs'), args: [projects.express, 'auth'] },
  { name: 'express (auth off)', script: join(here, 'servers/generated.mjs'), args: [projects.express, 'off'] },
  { name: 'hono (auth)', script: join(here, 'servers/generated.mjs'), args: [projects.hono, 'auth'] },
  { name: 'hono (auth off)', script: join(here, 'servers/generated.mjs'), args: [projects.hono, 'off'] },
  { name: 'reference: mcp-auth 0.2.0 + SDK v1', script: join(here, 'servers/reference.mjs'), args: [] },
];
const results = new Map(targets.map((target) => [target.name, { rps: [], cpuUs: [], non2xx: 0, errors: 0 }]));

for (let round = 1; round <= rounds; round++) {
  for (const target of targets) {
    const port = await freePort();
    const mcpUrl = `http://127.0.0.1:${port}/mcp`;
    const server = await startChild(target.script, target.args, { PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: issuer.issuer }, pinned ? { core: 1 } : {});
    try {
      const request = toolsCall(await issuer.mint(mcpUrl));
      await hammer(mcpUrl, { ...request, duration: 1 }); // warm-up: JIT, discovery, JWKS, token cache
      const before = await server.usage();
      const result = await hammer(mcpUrl, { ...request, duration: seconds });
      const after = await server.usage();
      const cpu = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
      const entry = results.get(target.name);
      entry.rps.push(result.requests.average);
      entry.cpuUs.push(cpu / Math.max(1, result.requests.total));
      entry.non2xx += result.non2xx;
      entry.errors += result.errors + result.timeouts;
      process.stderr.write(`round ${round} ${target.name}: ${Math.round(result.requests.average)} req/s, ${Math.round(cpu / result.requests.total)} µs CPU/req, non-2xx ${result.non2xx}\n`);
    } finally {
      await server.stop();
    }
  }
}

// The gate's own CPU per request, in process and warm (the token verified once, then served by the cache): a few
// microseconds against a ~1 ms request, far below what whole-server CPU figures on a shared machine can resolve.
const gateUs = {};
for (const fw of ['express', 'hono']) {
  const { createMcpAuth, serverType, tokenRules } = await import(pathToFileURL(join(projects[fw], 'dist/auth/index.js')).href);
  const mcpUrl = 'http://127.0.0.1:3000/mcp';
  const mcpAuth = createMcpAuth({ issuer: issuer.issuer, type: serverType, resource: new URL(mcpUrl), scopes: ['read', 'write'], rules: tokenRules });
  const header = `Bearer ${await issuer.mint(mcpUrl)}`;
  if (!(await mcpAuth.authenticate(header)).ok) throw new Error('the gate refused a valid token');
  const blocks = [];
  for (let block = 0; block < 50; block++) {
    const start = process.cpuUsage();
    for (let i = 0; i < 1000; i++) await mcpAuth.authenticate(header);
    const used = process.cpuUsage(start);
    blocks.push((used.user + used.system) / 1000);
  }
  gateUs[fw] = median(blocks);
}

// Hono's app also runs in process (`app.fetch(Request)`, no sockets): the whole request path with the real gate vs
// the same app with the gate answering "ok", in rotated order, with the real gate measured twice so the table shows
// how far two identical configurations drift on this machine.
const honoInProcess = await (async () => {
  const load = (path) => import(pathToFileURL(join(projects.hono, 'dist', path)).href);
  const [{ loadConfig }, { createMcpAuth, serverType, tokenRules }, { createApp }, { createMcpHttpHandler }, { advertisedScopes }] = await Promise.all(
    ['config.js', 'auth/index.js', 'http/app.js', 'mcp/handler.js', 'mcp/server.js'].map(load),
  );
  const mcpUrl = 'http://127.0.0.1:3999/mcp';
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '3999', MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: issuer.issuer });
  const mcpAuth = createMcpAuth({ issuer: config.issuer, type: serverType, resource: config.mcpServerUrl, audience: config.audience, scopes: advertisedScopes, rules: tokenRules });
  const request = toolsCall(await issuer.mint(mcpUrl));
  const accepted = await mcpAuth.authenticate(request.headers.authorization);
  const variants = { auth: mcpAuth, 'auth (again)': mcpAuth, 'auth off': { ...mcpAuth, authenticate: async () => accepted } };
  const apps = Object.entries(variants).map(([name, auth]) => [name, createApp({ config, mcpAuth: auth, mcp: createMcpHttpHandler(() => {}), log: () => {} })]);
  const send = async (app) => {
    const response = await app.fetch(new Request(mcpUrl, { method: 'POST', headers: { ...request.headers, host: '127.0.0.1:3999' }, body: request.body }));
    if (response.status !== 200) throw new Error(`in-process hono answered ${response.status}`);
    await response.text();
  };
  const cpu = Object.fromEntries(apps.map(([name]) => [name, []]));
  for (const [, app] of apps) for (let i = 0; i < 200; i++) await send(app);
  for (let block = 0; block < 40; block++) {
    for (let j = 0; j < apps.length; j++) {
      const [name, app] = apps[(j + block) % apps.length];
      const start = process.cpuUsage();
      for (let i = 0; i < 100; i++) await send(app);
      const used = process.cpuUsage(start);
      cpu[name].push((used.user + used.system) / 100);
    }
  }
  return Object.fromEntries(Object.entries(cpu).map(([name, values]) => [name, median(values)]));
})();
await issuer.close();

const m = (name, key) => median(results.get(name)[key]);
console.log(`\n## Benchmark 1: authenticated tools/call (${rounds} rounds × ${seconds} s, 8 connections, one token per client)\n`);
console.log(pinned ? 'Each server pinned to core 1, the load generator to core 0 (taskset).\n' : 'Not pinned (BENCH_PIN=0, no taskset, or one core): server and load generator share the cores.\n');
console.log('| server | req/s (median) | server CPU µs/req (median) | non-2xx | errors |');
console.log('|---|---|---|---|---|');
for (const [name, entry] of results) {
  console.log(`| ${name} | ${Math.round(median(entry.rps))} | ${Math.round(median(entry.cpuUs))} | ${entry.non2xx} | ${entry.errors} |`);
}
const ratio = (a, b) => (a / b).toFixed(2);
const overhead = (auth, off) => `${(((m(off, 'cpuUs') ? m(auth, 'cpuUs') / m(off, 'cpuUs') : 1) - 1) * 100).toFixed(1)} % CPU, ${((1 - m(auth, 'rps') / m(off, 'rps')) * 100).toFixed(1)} % throughput`;
const reference = 'reference: mcp-auth 0.2.0 + SDK v1';
console.log('\n| ratio | value | goal |');
console.log('|---|---|---|');
for (const fw of ['express', 'hono']) {
  console.log(`| ${fw}: throughput vs reference | ×${ratio(m(`${fw} (auth)`, 'rps'), m(reference, 'rps'))} | ≥ ×1.25 |`);
  console.log(`| ${fw}: CPU per request, reference / ours | ×${ratio(m(reference, 'cpuUs'), m(`${fw} (auth)`, 'cpuUs'))} | |`);
  console.log(`| ${fw}: auth vs auth off, whole server (noisy) | ${overhead(`${fw} (auth)`, `${fw} (auth off)`)} | |`);
  console.log(`| ${fw}: the gate's CPU per request (in process, warm) / auth-off server CPU per request | ${gateUs[fw].toFixed(1)} µs / ${Math.round(m(`${fw} (auth off)`, 'cpuUs'))} µs = ${((gateUs[fw] / m(`${fw} (auth off)`, 'cpuUs')) * 100).toFixed(2)} % | ≤ 3 % |`);
}
const pct = (a, b) => `${(((a - b) / b) * 100).toFixed(1)} %`;
console.log(
  `| hono in process (app.fetch, 40 rotated blocks): auth ${honoInProcess.auth.toFixed(0)} µs, auth again ${honoInProcess['auth (again)'].toFixed(0)} µs, auth off ${honoInProcess['auth off'].toFixed(0)} µs | auth vs off ${pct(honoInProcess.auth, honoInProcess['auth off'])}, again vs off ${pct(honoInProcess['auth (again)'], honoInProcess['auth off'])} (auth vs auth again: ${pct(honoInProcess.auth, honoInProcess['auth (again)'])}, the noise floor) | ≤ 3 % |`,
);
