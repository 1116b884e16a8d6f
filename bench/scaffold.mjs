// Benchmark 3: (a) scaffold wall time without install, ours vs create-vite (vanilla-ts), runs interleaved;
// (b) cold start of the generated server (`node dist/main.js`) to its first protected resource metadata answer,
// vs the reference server on mcp-auth 0.2.0 + SDK v1 to its first metadata answer, and vs a bare `node -e ''`.
// env: BENCH_RUNS (default 10).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, generatedProject } from './lib/generated.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { median } from './lib/load.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const here = import.meta.dirname;
const createVite = join(here, 'node_modules', 'create-vite', 'index.js');
const scratch = mkdtempSync(join(tmpdir(), 'bench-scaffold-'));

function timed(command, args) {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: scratch, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

const scaffold = { ours: [], vite: [], node: [] };
for (let run = 0; run < runs; run++) {
  scaffold.node.push(timed('node', ['-e', '']));
  scaffold.ours.push(timed('node', [cli, join(scratch, `ours-${run}`), '--yes', '--no-install', '--no-git', '--pm', 'npm']));
  scaffold.vite.push(timed('node', [createVite, join(scratch, `vite-${run}`), '--template', 'vanilla-ts']));
}
rmSync(scratch, { recursive: true, force: true });

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

/** Spawn → first 200 from the metadata URL, polled every 2 ms. */
async function coldStart(args, cwd, issuer) {
  const port = await freePort();
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  const start = performance.now();
  const child = spawn('node', args, { cwd, env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: issuer }, stdio: 'ignore' });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`).then((r) => r.status === 200, () => false);
      if (ok) return performance.now() - start;
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}`);
      if (performance.now() - start > 20_000) throw new Error(`${args.join(' ')} not ready after 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    child.kill('SIGKILL');
  }
}

const issuer = await startIssuer();
const projects = { express: generatedProject('express'), hono: generatedProject('hono') };
const cold = { express: [], hono: [], reference: [] };
for (let run = 0; run < Math.ceil(runs / 2); run++) {
  cold.express.push(await coldStart(['dist/main.js'], projects.express, issuer.issuer));
  cold.hono.push(await coldStart(['dist/main.js'], projects.hono, issuer.issuer));
  cold.reference.push(await coldStart([join(here, 'servers', 'reference-standalone.mjs')], here, issuer.issuer));
}
await issuer.close();

const ms = (values) => `${Math.round(median(values))} ms`;
console.log(`\n## Benchmark 3: scaffold and cold start (median of ${runs} / ${Math.ceil(runs / 2)} interleaved runs)\n`);
console.log('| measure | ours | other | ratio | goal |');
console.log('|---|---|---|---|---|');
console.log(`| scaffold, no install: ours vs create-vite vanilla-ts | ${ms(scaffold.ours)} | ${ms(scaffold.vite)} | ×${(median(scaffold.ours) / median(scaffold.vite)).toFixed(2)} | ≤ ×1.2 |`);
console.log(`| scaffold vs bare \`node -e ''\` | ${ms(scaffold.ours)} | ${ms(scaffold.node)} | ×${(median(scaffold.ours) / median(scaffold.node)).toFixed(2)} | |`);
for (const fw of ['express', 'hono']) {
  console.log(`| cold start to first metadata answer: ${fw} vs reference (mcp-auth + SDK v1) | ${ms(cold[fw])} | ${ms(cold.reference)} | ×${(median(cold[fw]) / median(cold.reference)).toFixed(2)} | |`);
}
