// Benchmark 2: what checking one token costs, in process (no HTTP): the generated server's verifier cold (every
// token new: signature + claims + cache store), warm (the same token again: served by the verified-token cache),
// against raw `jose.jwtVerify` with a local key set (the floor any JWT check pays). Measured in interleaved rounds.
// env: BENCH_ROUNDS (default 5).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { generatedProject } from './lib/generated.mjs';
import { startIssuer } from './lib/issuer.mjs';
import { median } from './lib/load.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const dir = process.env.BENCH_PROJECT ?? generatedProject('express');
const load = (path) => import(pathToFileURL(join(dir, 'dist', path)).href);
const { createMcpAuth, tokenRules, serverType } = await load('auth/index.js');

console.log(`\n## Benchmark 2: token verification cost per request (${rounds * 10} interleaved blocks of 100, median)\n`);
console.log('| alg | raw jose.jwtVerify, CPU µs | ours cold, CPU µs (× raw) | ours warm, CPU µs (× raw) | cold / warm |');
console.log('|---|---|---|---|---|');
for (const alg of ['RS256', 'ES256']) {
  const issuer = await startIssuer({ alg });
  const audience = 'http://127.0.0.1:3000/mcp';
  const mcpAuth = createMcpAuth({ issuer: issuer.issuer, type: serverType, resource: new URL(audience), scopes: ['read', 'write'], rules: tokenRules });
  const localKeys = createLocalJWKSet({ keys: [issuer.jwk] });
  const blocks = 10 * rounds;
  const size = 100;
  const tokens = await Promise.all(Array.from({ length: blocks * size * 2 }, (_, i) => issuer.mint(audience, { sub: `user-${i}` })));
  const raw = (token) => jwtVerify(token, localKeys, { issuer: issuer.issuer, audience, algorithms: [alg], requiredClaims: ['exp'] });
  await mcpAuth.verifier.verifyAccessToken(tokens[0]); // discovery + JWKS once, as a running server would have
  const timings = { raw: [], cold: [], warm: [] };
  // CPU time of this process (all threads: WebCrypto verifies on libuv's pool), which other processes on a shared
  // machine disturb far less than wall time.
  const time = async (key, tokensOfBlock, verify) => {
    const start = process.cpuUsage();
    for (const token of tokensOfBlock) await verify(token);
    const used = process.cpuUsage(start);
    timings[key].push((used.user + used.system) / tokensOfBlock.length);
  };
  // Small interleaved blocks: a burst of machine noise lands on one block of each kind, and the median drops it.
  for (let block = 0; block < blocks; block++) {
    const own = tokens.slice(block * size * 2, (block + 1) * size * 2);
    await time('raw', own.slice(0, size), raw);
    await time('cold', own.slice(size), (token) => mcpAuth.verifier.verifyAccessToken(token)); // each one new: a miss
    await time('warm', Array(size).fill(tokens[0]), (token) => mcpAuth.verifier.verifyAccessToken(token)); // the same client again
  }
  const [r, c, w] = [median(timings.raw), median(timings.cold), median(timings.warm)];
  console.log(`| ${alg} | ${r.toFixed(1)} | ${c.toFixed(1)} (×${(c / r).toFixed(2)}) | ${w.toFixed(2)} (×${(w / r).toFixed(3)}) | ×${(c / w).toFixed(0)} |`);
  await issuer.close();
}
