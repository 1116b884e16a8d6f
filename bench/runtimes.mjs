// Benchmark 4: the generated server on every runtime it supports, side by side with the reference (`mcp-auth` 0.2.0
// + SDK v1 on Node): authenticated `tools/call` throughput and server CPU per request, for `whoami` (no input) and
// `add` (an input schema), and cold start to the first protected resource metadata answer. Every server is started
// the way its project's `start` runs it (node dist/main.js, bun src/main.ts, deno run … src/main.ts), a Worker under
// `wrangler dev` (workerd on this machine: the local development server, not Cloudflare's edge). Servers run one at a
// time in rotated rounds; CPU is read from /proc for the server's whole process tree (wrangler + workerd included).
// Figures are medians and ratios from this one run.
// env: BENCH_SECONDS (per tool per round, default 3), BENCH_ROUNDS (default 3), BENCH_RUNS (cold starts, default 5),
// BENCH_RUNTIMES (default node,bun,deno,workers), BENCH_PIN=0, BENCH_CONNECTIONS (default 8).
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedProject } from './lib/generated.mjs';
import { canPin, pin } from './lib/cpu.mjs';
import { freePort } from './lib/free-port.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { CONNECTIONS, hammer, median, toolsCall } from './lib/load.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const wanted = (process.env.BENCH_RUNTIMES ?? 'node,bun,deno,workers').split(',');
const tools = ['whoami', 'add'];
const here = import.meta.dirname;
const pinned = process.env.BENCH_PIN !== '0' && canPin();
if (pinned) pin(process.pid, 0);

const has = (command) => {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
/** wrangler needs Node 22.12+: this Node when it is, else Node 22 from npm (`npx -p node@22`, cached after once). */
const node22 = () =>
  Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : execFileSync('npx', ['-y', '-p', 'node@22', '--', 'node', '-p', 'process.execPath'], { encoding: 'utf8' }).trim();

/** Every server: how to start it (argv, folder) on a port, given the issuer and its MCP URL. */
const targets = [
  { name: 'reference: mcp-auth + SDK v1 (Node, SSE as it ships)', runtime: 'node', argv: () => ['node', join(here, 'servers/reference-standalone.mjs')], cwd: here },
  { name: 'reference, JSON responses (Node)', runtime: 'node', argv: () => ['node', join(here, 'servers/reference-standalone.mjs'), 'json'], cwd: here },
];
const project = (framework, runtime) => generatedProject(framework, 'stateless', runtime === 'node' ? {} : { variant: runtime, args: ['--runtime', runtime] });
const startScript = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts.start.split(' ');
for (const runtime of wanted) {
  if (runtime === 'node') {
    for (const framework of ['hono', 'express']) {
      const dir = project(framework, 'node');
      targets.push({ name: `${framework} on Node`, runtime, argv: () => ['node', 'dist/main.js'], cwd: dir });
    }
  } else if (runtime === 'bun' || runtime === 'deno') {
    if (!has(runtime)) {
      process.stderr.write(`${runtime} is not installed: skipped (npm i -g ${runtime})\n`);
      continue;
    }
    for (const framework of runtime === 'bun' ? ['hono', 'express'] : ['hono']) {
      const dir = project(framework, runtime);
      targets.push({ name: `${framework} on ${runtime === 'bun' ? 'Bun' : 'Deno'}`, runtime, argv: () => startScript(dir), cwd: dir });
    }
  } else if (runtime === 'workers') {
    const dir = project('hono', 'workers');
    const node = node22();
    const wrangler = join(dir, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
    targets.push({
      name: 'hono on Workers (workerd, wrangler dev)',
      runtime,
      // The configuration as `--var`s; no state kept between runs.
      argv: ({ port, inspectorPort, issuer, mcpUrl }) => [node, wrangler, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--var', `AUTH_ISSUER:${issuer}`, '--var', `MCP_SERVER_URL:${mcpUrl}`, '--show-interactive-dev-session=false'],
      cwd: dir,
      env: { WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    });
  } else throw new Error(`unknown runtime ${runtime} in BENCH_RUNTIMES`);
}

/** The pids of `pid` and all its descendants (Linux /proc). */
function processTree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [];
  for (const queue = [pid]; queue.length; ) {
    const next = queue.shift();
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
/** CPU time (user + system) of a process tree, in µs. */
function cpuOf(pid) {
  let ticks = 0;
  for (const member of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${member}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // gone meanwhile
    }
  }
  return (ticks / TICKS_PER_SECOND) * 1e6;
}

/** Starts a target, resolves once its metadata answers; `ms`: spawn → first metadata answer. */
async function startTarget(target, issuer) {
  const port = await freePort();
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  const [command, ...args] = target.argv({ port, inspectorPort: await freePort(), issuer: issuer.issuer, mcpUrl });
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: target.cwd,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: issuer.issuer, ...target.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  // The whole process group (wrangler's workerd too), by the group id of the process we started.
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  const stop = () =>
    new Promise((resolve) => {
      if (exited()) return resolve();
      const timer = setTimeout(() => signal('SIGKILL'), 5000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
      signal('SIGTERM');
    });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (exited()) throw new Error(`${target.name} exited ${child.exitCode ?? child.signalCode}\n${stderr}`);
    if (performance.now() - started > 60_000) {
      await stop();
      throw new Error(`${target.name} not ready after 60 s\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const ms = performance.now() - started;
  if (pinned) for (const pid of processTree(child.pid)) pin(pid, 1);
  return { ms, mcpUrl, cpu: () => cpuOf(child.pid), stop };
}

const issuer = await startIssuer();
const results = new Map(targets.map((target) => [target.name, { cold: [], ...Object.fromEntries(tools.map((tool) => [tool, { rps: [], cpuUs: [], non2xx: 0, errors: 0 }])) }]));

for (let round = 1; round <= rounds; round++) {
  for (const target of targets.map((_, i) => targets[(i + round - 1) % targets.length])) {
    const server = await startTarget(target, issuer);
    try {
      const token = await issuer.mint(server.mcpUrl);
      for (const tool of tools) {
        const request = toolsCall(token, tool);
        await hammer(server.mcpUrl, { ...request, duration: 2 }); // warm-up: JIT, discovery, JWKS, token cache
        const before = server.cpu();
        const result = await hammer(server.mcpUrl, { ...request, duration: seconds });
        const cpu = server.cpu() - before;
        const entry = results.get(target.name)[tool];
        entry.rps.push(result.requests.average);
        entry.cpuUs.push(cpu / Math.max(1, result.requests.total));
        entry.non2xx += result.non2xx;
        entry.errors += result.errors + result.timeouts;
        process.stderr.write(`round ${round} ${target.name} ${tool}: ${Math.round(result.requests.average)} req/s, ${Math.round(cpu / Math.max(1, result.requests.total))} µs CPU/req, non-2xx ${result.non2xx}\n`);
      }
    } finally {
      await server.stop();
    }
  }
}

// Cold starts, interleaved (one of each target per run), not pinned: what a user waits for.
for (let run = 0; run < runs; run++) {
  for (const target of targets) {
    const server = await startTarget(target, issuer);
    results.get(target.name).cold.push(server.ms);
    await server.stop();
  }
}
await issuer.close();

const reference = results.get(targets[0].name);
const referenceJson = results.get(targets[1].name);
const ratio = (a, b) => `×${(a / b).toFixed(2)}`;
console.log(`\n## Benchmark 4: every runtime (${rounds} rotated rounds × ${seconds} s per tool, ${CONNECTIONS} connections; cold start: median of ${runs})\n`);
console.log(pinned ? 'Each server (its whole process tree) pinned to core 1, the load generator to core 0 (taskset).\n' : 'Not pinned: server and load generator share the cores.\n');
console.log('| server | tool | req/s | server CPU µs/req | throughput vs reference (SSE / JSON) | CPU, reference / this (SSE / JSON) | non-2xx | errors |');
console.log('|---|---|---|---|---|---|---|---|');
for (const target of targets) {
  for (const tool of tools) {
    const entry = results.get(target.name)[tool];
    const [rps, cpu] = [median(entry.rps), median(entry.cpuUs)];
    const versus = `${ratio(rps, median(reference[tool].rps))} / ${ratio(rps, median(referenceJson[tool].rps))}`;
    const cpuVersus = `${ratio(median(reference[tool].cpuUs), cpu)} / ${ratio(median(referenceJson[tool].cpuUs), cpu)}`;
    console.log(`| ${target.name} | ${tool} | ${Math.round(rps)} | ${Math.round(cpu)} | ${versus} | ${cpuVersus} | ${entry.non2xx} | ${entry.errors} |`);
  }
}
console.log('\n| server | cold start to first metadata answer (median) | vs reference |');
console.log('|---|---|---|');
for (const target of targets) {
  const cold = results.get(target.name).cold;
  console.log(`| ${target.name} | ${Math.round(median(cold))} ms (${Math.round(Math.min(...cold))}–${Math.round(Math.max(...cold))}) | ${ratio(median(cold), median(reference.cold))} |`);
}
if (targets.some((target) => target.runtime === 'workers')) {
  console.log('\nThe Worker runs under `wrangler dev`: requests pass its local proxy before workerd, and its cold start includes bundling the Worker; neither is what Cloudflare\'s edge does. Its CPU is the whole tree (wrangler\'s Node and workerd).');
}
const failed = [...results.values()].some((entry) => tools.some((tool) => entry[tool].non2xx > 0 || entry[tool].errors > 0));
process.exitCode = failed ? 1 : 0;
