// Load and soak run (not a test): tens of thousands of mixed requests — valid, expired, forged, missing,
// wrong-scope, malformed — against the generated Express and Hono servers on 127.0.0.1. Bounded in count and in
// time; stops by itself. Reports status counts (zero 5xx expected), open sockets after the run, and heap after GC
// per phase (stable across phases = no leak).
// env: LOAD_REQUESTS (per phase, default 10000), LOAD_PHASES (default 3), LOAD_MAX_SECONDS (per phase cap, default 120),
// LOAD_FRAMEWORKS (default express,hono).
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { generatedProject } from './lib/generated.mjs';
import { startChild } from './lib/child.mjs';
import { freePort } from './lib/free-port.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { hammer, toolsCall } from './lib/load.mjs';

const perPhase = Number(process.env.LOAD_REQUESTS ?? 10_000);
const phases = Number(process.env.LOAD_PHASES ?? 3);
const maxSeconds = Number(process.env.LOAD_MAX_SECONDS ?? 120);
const here = import.meta.dirname;

const issuer = await startIssuer();
const { privateKey: foreignKey } = await generateKeyPair('RS256');
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
let failed = false;

console.log(`\n## Load and soak: ${phases} phases × ${perPhase} mixed requests per framework\n`);
console.log('| framework | requests | 2xx | 400 | 401 | 403 | 5xx | errors/timeouts | req/s | sockets open after | heap after GC per phase | RSS end |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const framework of (process.env.LOAD_FRAMEWORKS ?? 'express,hono').split(',')) {
  const dir = generatedProject(framework);
  const port = await freePort();
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  const server = await startChild(join(here, 'servers/generated.mjs'), [dir, 'auth'], { PORT: String(port), MCP_SERVER_URL: mcpUrl, AUTH_ISSUER: issuer.issuer });
  const now = Math.floor(Date.now() / 1000);
  const valid = await Promise.all(Array.from({ length: 50 }, (_, i) => issuer.mint(mcpUrl, { sub: `user-${i}` })));
  const forged = await new SignJWT({ iss: issuer.issuer, aud: mcpUrl, sub: 'mallory', scope: 'read write', exp: now + 3600 })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-key', typ: 'at+jwt' })
    .sign(foreignKey);
  const mix = [
    ...valid.slice(0, 4).map((token) => toolsCall(token)),
    toolsCall(valid[4], 'whoami', {}),
    toolsCall(await issuer.mint(mcpUrl, { exp: now - 600 })), // expired → 401
    toolsCall(forged), // forged signature → 401
    toolsCall(undefined), // missing → 401
    toolsCall(await issuer.mint(mcpUrl, { scope: 'read' }), 'add_note', { text: 'x' }), // wrong scope → 403
    { ...toolsCall(undefined), headers: { ...toolsCall(undefined).headers, authorization: 'Bearer a b' } }, // malformed → 400
  ];
  const totals = { requests: 0, '2xx': 0, 400: 0, 401: 0, 403: 0, '5xx': 0, errors: 0, rps: [] };
  const heaps = [];
  for (let phase = 0; phase < phases; phase++) {
    // Rotate which valid tokens are used, so the token cache keeps seeing new ones as well as repeats.
    const requests = mix.map((request, i) => (i < 4 ? toolsCall(valid[(phase * 4 + i) % valid.length]) : request));
    const run = hammer(mcpUrl, { requests, amount: perPhase, connections: 16, timeout: 10 });
    const cap = setTimeout(() => run.stop?.(), maxSeconds * 1000);
    const result = await run;
    clearTimeout(cap);
    totals.requests += result.requests.total;
    for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
      if (code.startsWith('2')) totals['2xx'] += count;
      else if (code.startsWith('5')) totals['5xx'] += count;
      else totals[code] = (totals[code] ?? 0) + count;
    }
    totals.errors += result.errors + result.timeouts;
    totals.rps.push(result.requests.average);
    await server.gc();
    heaps.push((await server.usage()).heap);
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // let keep-alive sockets close
  const end = await server.usage();
  await server.stop();
  if (totals['5xx'] > 0 || totals.errors > 0) failed = true;
  const rps = Math.round(totals.rps.reduce((a, b) => a + b, 0) / totals.rps.length);
  console.log(
    `| ${framework} | ${totals.requests} | ${totals['2xx']} | ${totals[400] ?? 0} | ${totals[401] ?? 0} | ${totals[403] ?? 0} | ${totals['5xx']} | ${totals.errors} | ${rps} | ${end.sockets} | ${heaps.map(mb).join(' → ')} | ${mb(end.rss)} |`,
  );
}
await issuer.close();
process.exitCode = failed ? 1 : 0;
