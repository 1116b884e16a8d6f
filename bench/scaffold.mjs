// Benchmark 3: (a) scaffold wall time without install, ours vs create-vite (vanilla-ts), runs interleaved;
// (b) cold start of the generated server (`node dist/main.js`) to its first protected resource metadata answer,
// vs the reference server on mcp-auth 0.2.0 + SDK v1 to its first metadata answer, and vs a bare `node -e ''`.
// Scaffold runs also measure, in separate interleaved runs, the time after Node's own start-up (lib/startup-hook.mjs).
// Both CLIs write into fresh folders of the same scratch folder on the same disk.
// env: BENCH_RUNS (default 20).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './lib/free-port.mjs';
import { cli, generatedProject } from './lib/generated.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { median } from './lib/load.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 20);
const here = import.meta.dirname;
const createVite = join(here, 'node_modules', 'create-vite', 'index.js');
const startupHook = join(here, 'lib', 'startup-hook.mjs');

/** Wall time of `node …args` in `cwd`; with `hooked`, the time after Node's start-up that the hook reports instead. */
function timed(cwd, args, { hooked = false } = {}) {
  const start = performance.now();
  const result = spawnSync('node', hooked ? ['--import', startupHook, ...args] : args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  if (!hooked) return ms;
  return Number(/after-bootstrap-ms ([\d.]+)/.exec(String(result.stderr))[1]);
}

/** Files and folders a CLI created: on a disk where each new inode costs ~1 ms, this is most of a scaffold. */
const countEntries = (dir) => readdirSync(dir, { recursive: true }).length;

// create-vite takes the folder relative to its cwd: both get a name inside the scratch folder.
const commands = {
  node: () => ['-e', ''],
  ours: (run) => [cli, `ours-${run}`, '--yes', '--no-install', '--no-git', '--pm', 'npm'],
  vite: (run) => [createVite, `vite-${run}`, '--template', 'vanilla-ts'],
};

/** Interleaved runs with the scratch folder under `parent`. */
function measureScaffold(parent) {
  const scratch = mkdtempSync(join(parent, 'bench-scaffold-'));
  const wall = { node: [], ours: [], vite: [] };
  const afterStartup = { node: [], ours: [], vite: [] };
  try {
    for (let run = 0; run < runs; run++) {
      for (const [name, args] of Object.entries(commands)) wall[name].push(timed(scratch, args(run)));
      for (const [name, args] of Object.entries(commands)) afterStartup[name].push(timed(scratch, args(`hooked-${run}`), { hooked: true }));
    }
    return { wall, afterStartup, entries: { ours: countEntries(join(scratch, 'ours-0')), vite: countEntries(join(scratch, 'vite-0')) } };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// The temp folder on disk (what users get), and a memory file system when there is one (what the CLI itself costs).
const locations = [[`disk (${tmpdir()})`, tmpdir()]];
if (existsSync('/dev/shm') && statSync('/dev/shm').isDirectory()) locations.push(['memory (/dev/shm, tmpfs)', '/dev/shm']);
const scaffold = locations.map(([label, parent]) => ({ label, ...measureScaffold(parent) }));

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
const row = (label, ours, other, goal = '') => console.log(`| ${label} | ${ms(ours)} | ${ms(other)} | ×${(median(ours) / median(other)).toFixed(2)} | ${goal} |`);
for (const { label, wall, afterStartup, entries } of scaffold) {
  row(`scaffold, no install, on ${label}: ours vs create-vite vanilla-ts`, wall.ours, wall.vite, '≤ ×1.2');
  row(`  the same, after Node's own start-up (bare node: ${ms(afterStartup.node)})`, afterStartup.ours, afterStartup.vite);
  row(`  ours vs bare \`node -e ''\` (files and folders created: ours ${entries.ours}, create-vite ${entries.vite})`, wall.ours, wall.node);
}
for (const fw of ['express', 'hono']) {
  console.log(`| cold start to first metadata answer: ${fw} vs reference (mcp-auth + SDK v1) | ${ms(cold[fw])} | ${ms(cold.reference)} | ×${(median(cold[fw]) / median(cold.reference)).toFixed(2)} | |`);
}
