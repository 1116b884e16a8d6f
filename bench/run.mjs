// `npm run bench`: every benchmark (verify, scaffold, servers, runtimes), one after the other, each printing its own table of ratios measured side by
// side in this run. The load/soak runs are separate: `npm run bench -- load` (or `node bench/load.mjs`)
// and, for replicas sharing one Redis through an outage, `npm run bench -- load-replicas`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
if (!existsSync(join(here, 'node_modules', 'mcp-auth'))) {
  process.stderr.write('installing the benchmark dependencies into bench/node_modules (once)…\n');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
}
const only = process.argv.slice(2);
const scripts = only.length ? only : ['verify', 'scaffold', 'servers', 'runtimes'];
for (const name of scripts) execFileSync('node', [join(here, `${name}.mjs`)], { stdio: 'inherit' });
