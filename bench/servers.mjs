// Benchmark 1: authenticated MCP `tools/call` throughput of the generated Express and Hono servers
// (a) against a reference server on `mcp-auth` 0.2.0 + `@modelcontextprotocol/sdk` 1.x: servers run one at a time in
//     their own process, in rounds (A B C, then B C A, …) so machine noise hits all of them alike;
// (b) against the same app with the bearer gate answering "ok" at once (auth off): both apps in one server process
//     (one core, one heap, one JIT), loaded in alternating short bursts, compared burst pair by burst pair — the only
//     way a few-percent difference shows through this machine's noise.
// Figures are medians and ratios from this one run.
// env: BENCH_SECONDS (per round, default 4), BENCH_ROUNDS (default 5), BENCH_BURSTS (pairs, default 12),
// BENCH_BURST_SECONDS (default 1.5), BENCH_PIN=0 (do not pin to cores), BENCH_TOOL (`add`, the default, or `whoami`: no
// input schema), BENCH_CONNECTIONS (default 8), BENCH_PAIRED=0 (only the comparison with the reference: skip auth vs off).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generatedProject } from './lib/generated.mjs';
import { startChild } from './lib/child.mjs';
import { canPin, pin } from './lib/cpu.mjs';
import { freePort } from './lib/free-port.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { CONNECTIONS, hammer, median, toolsCall } from './lib/load.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const bursts = Number(process.env.BENCH_BURSTS ?? 12);
const burstSeconds = Number(process.env.BENCH_BURST_SECONDS ?? 1.5);
const tool = process.env.BENCH_TOOL ?? 'add';
const paired = process.env.BENCH_PAIRED !== '0';
if (!['add', 'whoami'].includes(tool)) throw new Error(`BENCH_TOOL must be add or whoami, not ${tool}`);
const here = import.meta.dirname;
// Load generator on core 0, servers on core 1 (lib/cpu.mjs), unless BENCH_PIN=0 or the machine cannot.
const pinned = process.env.BENCH_PIN !== '0' && canPin();
if (pinned) pin(process.pid, 0);

const projects = { express: generatedProject('express'), hono: generatedProject('hono') };
const issuer = await startIssuer();
const targets = [
  { name: 'express (auth)', script: join(here, 'servers/generated.mjs'), args: [projects.express, 'auth'] },
  { name: 'hono (auth)', script: join(here, 'servers/generated.mjs'), args: [projects.hono, 'auth'] },
  // The reference as it ships (an SSE stream per POST, the SDK v1 default) and with `enableJsonResponse` (plain JSON).
  { name: 'reference: mcp-auth 0.2.0 + SDK v1', script: join(here, 'servers/reference.mjs'), args: [] },
  { name: 'reference, JSON responses', script: join(here, 'servers/reference.mjs'), args: ['json'] },
];
const results = new Map(targets.map((target) => [target.name, { rps: [], cpuUs: [], non2xx: 0, errors: 0 }]));

for (let round = 1; round <= rounds; round++) {
  // Rotated each round, so no server always runs first, or always right after the same other one.
  for (const target of targets.map((_, i) => targets[(i + round - 1) % targets.length])) {
    const port = await freePort();
    const mcpUrl = `http://127.0.0.1:${port}/mcp`;
    const server = await startChild(target.script, target.args, { PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: issuer.issuer }, pinned ? { core: 1 } : {});
    try {
      const request = toolsCall(await issuer.mint(mcpUrl), tool);
      await hammer(mcpUrl, { ...request, duration: 2 }); // warm-up: JIT, discovery, JWKS, token cache
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

// Auth vs auth off in one process, alternating bursts (auth first in even pairs, off first in odd ones).
const pairedOverhead = {};
for (const fw of paired ? ['express', 'hono'] : []) {
  const [port, portOff] = [await freePort(), await freePort()];
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  const server = await startChild(join(here, 'servers/generated.mjs'), [projects[fw], 'paired'], { PORT: String(port), PORT_OFF: String(portOff), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: issuer.issuer }, pinned ? { core: 1 } : {});
  try {
    const request = toolsCall(await issuer.mint(mcpUrl), tool);
    // Same headers for both, Host included: the off app answers on its own port as if it were the MCP URL.
    const urls = { auth: mcpUrl, off: `http://127.0.0.1:${portOff}/mcp` };
    const burst = async (which, duration) => {
      const before = await server.usage();
      const result = await hammer(urls[which], { ...request, headers: { ...request.headers, host: `127.0.0.1:${port}` }, duration });
      const after = await server.usage();
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${fw} ${which}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      return { rps: result.requests.average, cpuUs: (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / result.requests.total };
    };
    await burst('auth', 2);
    await burst('off', 2);
    const cpu = [];
    const rps = [];
    for (let pair = 0; pair < bursts; pair++) {
      const order = pair % 2 === 0 ? ['auth', 'off'] : ['off', 'auth'];
      const measured = {};
      for (const which of order) measured[which] = await burst(which, burstSeconds);
      cpu.push((measured.auth.cpuUs / measured.off.cpuUs - 1) * 100);
      rps.push((1 - measured.auth.rps / measured.off.rps) * 100);
      process.stderr.write(`${fw} pair ${pair + 1}: auth ${Math.round(measured.auth.cpuUs)} µs/req ${Math.round(measured.auth.rps)} req/s, off ${Math.round(measured.off.cpuUs)} µs/req ${Math.round(measured.off.rps)} req/s\n`);
    }
    pairedOverhead[fw] = { cpu, rps };
  } finally {
    await server.stop();
  }
}

// The gate's own CPU per request, in process and warm (the token verified once, then served by the cache): a few
// microseconds against a ~1 ms request, far below what whole-server CPU figures on a shared machine can resolve.
const gateUs = {};
for (const fw of paired ? ['express', 'hono'] : []) {
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
const IN_PROCESS_BLOCKS = 200;
const honoInProcess = !paired ? undefined : await (async () => {
  const load = (path) => import(pathToFileURL(join(projects.hono, 'dist', path)).href);
  const [{ loadConfig }, { createMcpAuth, serverType, tokenRules }, { createApp }, { createMcpHttpHandler }, { advertisedScopes }] = await Promise.all(
    ['config.js', 'auth/index.js', 'http/app.js', 'mcp/handler.js', 'mcp/server.js'].map(load),
  );
  const mcpUrl = 'http://127.0.0.1:3999/mcp';
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '3999', MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: issuer.issuer });
  const mcpAuth = createMcpAuth({ issuer: config.issuer, type: serverType, resource: config.mcpServerUrl, audience: config.audience, scopes: advertisedScopes, rules: tokenRules });
  const request = toolsCall(await issuer.mint(mcpUrl), tool);
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
  // Many short blocks: a garbage collection lands in one block of one variant, and the median leaves it out.
  for (let block = 0; block < IN_PROCESS_BLOCKS; block++) {
    for (let j = 0; j < apps.length; j++) {
      const [name, app] = apps[(j + block) % apps.length];
      const start = process.cpuUsage();
      for (let i = 0; i < 25; i++) await send(app);
      const used = process.cpuUsage(start);
      cpu[name].push((used.user + used.system) / 25);
    }
  }
  return Object.fromEntries(Object.entries(cpu).map(([name, values]) => [name, median(values)]));
})();
await issuer.close();

const m = (name, key) => median(results.get(name)[key]);
console.log(`\n## Benchmark 1: authenticated tools/call of \`${tool}\` (${CONNECTIONS} connections, one token per client)\n`);
console.log(pinned ? 'Each server pinned to core 1, the load generator to core 0 (taskset).\n' : 'Not pinned (BENCH_PIN=0, no taskset, or one core): server and load generator share the cores.\n');
console.log(`### Against the reference (${rounds} rotated rounds × ${seconds} s)\n`);
console.log('| server | req/s (median) | server CPU µs/req (median) | non-2xx | errors |');
console.log('|---|---|---|---|---|');
for (const [name, entry] of results) {
  console.log(`| ${name} | ${Math.round(median(entry.rps))} | ${Math.round(median(entry.cpuUs))} | ${entry.non2xx} | ${entry.errors} |`);
}
const ratio = (a, b) => (a / b).toFixed(2);
const reference = 'reference: mcp-auth 0.2.0 + SDK v1';
const referenceJson = 'reference, JSON responses';
console.log('\n| ratio | value | goal |');
console.log('|---|---|---|');
for (const fw of ['express', 'hono']) {
  console.log(`| ${fw}: throughput vs reference | ×${ratio(m(`${fw} (auth)`, 'rps'), m(reference, 'rps'))} | ≥ ×1.25 |`);
  console.log(`| ${fw}: CPU per request, reference / ours | ×${ratio(m(reference, 'cpuUs'), m(`${fw} (auth)`, 'cpuUs'))} | |`);
  console.log(`| ${fw}: throughput vs reference with JSON responses | ×${ratio(m(`${fw} (auth)`, 'rps'), m(referenceJson, 'rps'))} | |`);
  console.log(`| ${fw}: CPU per request, reference with JSON responses / ours | ×${ratio(m(referenceJson, 'cpuUs'), m(`${fw} (auth)`, 'cpuUs'))} | |`);
}

/** Median and interquartile range of percentages. */
const spread = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `${median(sorted).toFixed(1)} % (middle half ${at(0.25).toFixed(1)} … ${at(0.75).toFixed(1)})`;
};
if (paired) {
  console.log(`\n### Auth vs auth off (one process, ${bursts} alternating burst pairs × ${burstSeconds} s)\n`);
  console.log('| measure | value | goal |');
  console.log('|---|---|---|');
  for (const fw of ['express', 'hono']) {
    console.log(`| ${fw}: throughput lost to auth, pair by pair | ${spread(pairedOverhead[fw].rps)} | ≤ 3 % |`);
    console.log(`| ${fw}: server CPU per request added by auth, pair by pair | ${spread(pairedOverhead[fw].cpu)} | |`);
    console.log(`| ${fw}: the gate alone, in process and warm (the token served by the cache) | ${gateUs[fw].toFixed(1)} µs per request | |`);
  }
  const pct = (a, b) => `${(((a - b) / b) * 100).toFixed(1)} %`;
  console.log(
    `| hono in process, no HTTP (app.fetch, ${IN_PROCESS_BLOCKS} rotated blocks of 25): auth ${honoInProcess.auth.toFixed(0)} µs, auth again ${honoInProcess['auth (again)'].toFixed(0)} µs, auth off ${honoInProcess['auth off'].toFixed(0)} µs | auth vs off ${pct(honoInProcess.auth, honoInProcess['auth off'])}, again vs off ${pct(honoInProcess['auth (again)'], honoInProcess['auth off'])} (auth vs auth again: ${pct(honoInProcess.auth, honoInProcess['auth (again)'])}, the noise floor) | |`,
  );
}
