// Benchmark 2: what checking one token costs, in process (no HTTP): the generated server's verifier cold (every
// token new: signature + claims + cache store), warm (the same token again: served by the verified-token cache),
// against raw `jose.jwtVerify` with a local key set (the floor any JWT check pays). Measured in interleaved rounds.
// Rows: a provider's RS256 and ES256 tokens (the default project), then the broker's own ES256 tokens (a `--broker`
// project), whose check also reads the token's grant from the store on every request, cold or warm (revocation is
// immediate); that read is timed on its own in the last column.
// env: BENCH_ROUNDS (default 5), BENCH_PROJECT / BENCH_BROKER_PROJECT (an already built project to use instead).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { brokerGate } from './lib/broker.mjs';
import { generatedProject } from './lib/generated.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { median } from './lib/load.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const blocks = 10 * rounds;
const size = 100;
const dir = process.env.BENCH_PROJECT ?? generatedProject('express');
const brokerArgs = ['--provider', 'oidc', '--issuer', 'http://127.0.0.1:9', '--broker'];
const brokerDir = process.env.BENCH_BROKER_PROJECT ?? generatedProject('express', 'stateless', { variant: 'broker', args: brokerArgs });
const load = (path) => import(pathToFileURL(join(dir, 'dist', path)).href);
const { createMcpAuth, tokenRules, serverType } = await load('auth/index.js');

/**
 * Medians of CPU µs per check over interleaved blocks: `raw` and `ours` (cold) on fresh items of their own, `ours`
 * warm on `items[0]` again and again, and `part` (if given) on the cold block's items after it.
 */
async function measure(items, { raw, ours, part }) {
  await ours(items[0]); // discovery + JWKS (or the key record) once, as a running server would have
  const timings = { raw: [], cold: [], warm: [], part: [] };
  // CPU time of this process (all threads: WebCrypto verifies on libuv's pool), which other processes on a shared
  // machine disturb far less than wall time.
  const time = async (key, itemsOfBlock, check) => {
    const start = process.cpuUsage();
    for (const item of itemsOfBlock) await check(item);
    const used = process.cpuUsage(start);
    timings[key].push((used.user + used.system) / itemsOfBlock.length);
  };
  // Small interleaved blocks: a burst of machine noise lands on one block of each kind, and the median drops it.
  for (let block = 0; block < blocks; block++) {
    const own = items.slice(block * size * 2, (block + 1) * size * 2);
    await time('raw', own.slice(0, size), raw);
    await time('cold', own.slice(size), ours); // each one new: a miss
    await time('warm', Array(size).fill(items[0]), ours); // the same client again
    if (part) await time('part', own.slice(size), part);
  }
  return { r: median(timings.raw), c: median(timings.cold), w: median(timings.warm), p: part ? median(timings.part) : undefined };
}

function row(label, { r, c, w, p }) {
  const partCell = p === undefined ? '–' : `${p.toFixed(2)} (${((p / w) * 100).toFixed(0)} % of warm)`;
  console.log(`| ${label} | ${r.toFixed(1)} | ${c.toFixed(1)} (×${(c / r).toFixed(2)}) | ${w.toFixed(2)} (×${(w / r).toFixed(3)}) | ×${(c / w).toFixed(0)} | ${partCell} |`);
}

console.log(`\n## Benchmark 2: token verification cost per request (${blocks} interleaved blocks of ${size}, median)\n`);
console.log('| token | raw jose.jwtVerify, CPU µs | ours cold, CPU µs (× raw) | ours warm, CPU µs (× raw) | cold / warm | of which the grant read, CPU µs |');
console.log('|---|---|---|---|---|---|');
for (const alg of ['RS256', 'ES256']) {
  const issuer = await startIssuer({ alg });
  const audience = 'http://127.0.0.1:3000/mcp';
  const mcpAuth = createMcpAuth({ issuer: issuer.issuer, type: serverType, resource: new URL(audience), scopes: ['read', 'write'], rules: tokenRules });
  const localKeys = createLocalJWKSet({ keys: [issuer.jwk] });
  const tokens = await Promise.all(Array.from({ length: blocks * size * 2 }, (_, i) => issuer.mint(audience, { sub: `user-${i}` })));
  const raw = (token) => jwtVerify(token, localKeys, { issuer: issuer.issuer, audience, algorithms: [alg], requiredClaims: ['exp'] });
  row(`${alg}, provider`, await measure(tokens, { raw, ours: (token) => mcpAuth.verifier.verifyAccessToken(token) }));
  await issuer.close();
}
{
  const gate = await brokerGate(brokerDir);
  const localKeys = createLocalJWKSet(gate.jwks);
  const issued = [];
  for (let user = 0; user < blocks * size * 2; user++) issued.push(await gate.issue(user)); // one by one, as users sign in
  const raw = ({ token }) => jwtVerify(token, localKeys, { issuer: gate.issuer, audience: gate.audience, algorithms: ['ES256'], typ: 'at+jwt', requiredClaims: ['exp'] });
  const ours = ({ token }) => gate.mcpAuth.verifier.verifyAccessToken(token);
  row('ES256, broker', await measure(issued, { raw, ours, part: ({ grantId }) => gate.readGrant(grantId) }));
  await gate.close();
}
