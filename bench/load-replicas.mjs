// Replicated load run (not a test): a `--broker` project's server as 3 replicas sharing one real redis-server (REDIS_URL),
// behind a round-robin proxy in this process, all on 127.0.0.1. Users sign in through the proxy the real way (register,
// authorize, consent, the provider stand-in, callback, code for tokens), then phases of mixed tools/call requests —
// valid broker tokens, forged, missing, revoked, wrong scope, malformed — go through the proxy. In the middle phase
// redis-server is killed (SIGKILL to its PID) and restarted on the same port after a few seconds: the outage window
// runs from the kill to the restart plus a grace (the replicas' Redis clients retry with a backoff of at most 2 s).
// Reports requests per replica (spread), 5xx inside and outside the window, 503s with Retry-After, what succeeds after
// recovery, whether what was committed before the outage survived it, and heap after GC and RSS per replica per phase
// (flat = no leak). Exits 1 on any 5xx outside the window, any 5xx inside it that is not a 503 with Retry-After, any
// socket error or timeout, or a check after recovery that fails. Stops everything it started, by PID, even on failure.
// env: LOAD_REPLICA_COUNT (default 3), LOAD_REPLICA_PHASES (default 5; the outage is in the middle one),
// LOAD_REPLICA_SECONDS (per phase, default 12), LOAD_REPLICA_OUTAGE_SECONDS (default 4), LOAD_REPLICA_GRACE_SECONDS
// (default 2), LOAD_REPLICA_CONNECTIONS (default 12), LOAD_REPLICA_FRAMEWORK (express or hono, default express),
// BENCH_BROKER_PROJECT (an already built broker project to use instead of rendering one).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { startChild } from './lib/child.mjs';
import { freePort } from './lib/free-port.mjs';
import { generatedProject } from './lib/generated.mjs';
import { hammer, toolsCall } from './lib/load.mjs';
import { startOidcStandIn } from './lib/oidc-stand-in.mjs';
import { startRedis } from './lib/redis.mjs';
import { startRoundRobin } from './lib/round-robin.mjs';
import { revoke, signIn } from './lib/sign-in.mjs';

const env = process.env;
const count = Number(env.LOAD_REPLICA_COUNT ?? 3);
const phases = Number(env.LOAD_REPLICA_PHASES ?? 5);
const phaseSeconds = Number(env.LOAD_REPLICA_SECONDS ?? 12);
const outageSeconds = Number(env.LOAD_REPLICA_OUTAGE_SECONDS ?? 4);
const graceSeconds = Number(env.LOAD_REPLICA_GRACE_SECONDS ?? 2);
const connections = Number(env.LOAD_REPLICA_CONNECTIONS ?? 12);
const framework = env.LOAD_REPLICA_FRAMEWORK ?? 'express';
const outagePhase = Math.floor(phases / 2);
/** Seconds into the outage phase at which Redis is killed; the phase lasts long enough to see the recovery. */
const killAfterSeconds = 3;
const outagePhaseSeconds = Math.max(phaseSeconds, killAfterSeconds + outageSeconds + graceSeconds + 4);
const here = import.meta.dirname;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes) => (bytes / 1048576).toFixed(1);

// Last resort: whatever is still running when this process exits (an exception, Ctrl-C) is killed by its PID.
const pids = new Set();
process.on('exit', () => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const stoppers = [];
let failed = false;
const problems = [];
const fail = (message) => {
  failed = true;
  problems.push(message);
};

try {
  await run();
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  for (const stop of stoppers.reverse()) await stop().catch((error) => console.error('cleanup:', error));
}
process.exitCode = failed ? 1 : 0;

/** Stops a replica by its PID: SIGTERM, then SIGKILL if it is still there after 5 s. */
async function stopReplica(replica) {
  const { child } = replica;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  pids.delete(child.pid);
}

/** tools/call whoami (or `name`) at `mcpUrl`: the HTTP status. */
async function call(mcpUrl, token, name = 'whoami', args = {}) {
  const { method, headers, body } = toolsCall(token, name, args);
  const res = await fetch(mcpUrl, { method, headers, body });
  await res.body?.cancel();
  return res.status;
}

async function run() {
  const brokerArgs = ['--provider', 'oidc', '--issuer', 'http://127.0.0.1:9', '--broker'];
  const dir = env.BENCH_BROKER_PROJECT ?? generatedProject(framework, 'stateless', { variant: 'broker', args: brokerArgs });

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  stoppers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const redis = await startRedis({ dir: dataDir });
  pids.add(redis.pid);
  stoppers.push(async () => {
    const pid = redis.pid;
    await redis.kill();
    pids.delete(pid);
  });
  const proxy = await startRoundRobin();
  stoppers.push(() => proxy.close());
  const mcpUrl = `${proxy.origin}/mcp`;
  const app = { clientId: 'bench-app', clientSecret: 'bench-app-secret' };
  const provider = await startOidcStandIn({ ...app, redirectUri: `${proxy.origin}/oauth/callback` });
  stoppers.push(() => provider.close());

  // Every replica: the same REDIS_URL, AUTH_BROKER_SECRET and public MCP_SERVER_URL (the proxy's). One after another:
  // the first creates the signing key in Redis, the others read that one.
  const shared = {
    MCP_SERVER_URL: mcpUrl,
    AUTH_ISSUER: provider.issuer,
    AUTH_CLIENT_ID: app.clientId,
    AUTH_CLIENT_SECRET: app.clientSecret,
    AUTH_BROKER_SECRET: randomBytes(32).toString('base64url'),
    REDIS_URL: redis.url,
  };
  const replicas = [];
  stoppers.push(() => Promise.all(replicas.map(stopReplica)));
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const replica = await startChild(join(here, 'servers/generated.mjs'), [dir, 'auth'], { ...shared, PORT: String(port) });
    pids.add(replica.child.pid);
    replicas.push({ ...replica, url: `http://127.0.0.1:${port}` });
  }
  proxy.setReplicas(replicas.map((replica) => replica.url));

  // Tokens, the real way, through the proxy: 4 users with read+write, one with read only, one whose grant is revoked.
  const users = [];
  for (let i = 0; i < 4; i++) users.push(await signIn(proxy.origin, mcpUrl));
  const readOnly = await signIn(proxy.origin, mcpUrl, { scope: 'read' });
  const revoked = await signIn(proxy.origin, mcpUrl);
  await revoke(proxy.origin, revoked.clientId, revoked.tokens.access_token);
  const signIns = proxy.log.at.length;
  // Forged: the broker's issuer, audience and key id, signed with a key that is not the broker's.
  const { keys } = await (await fetch(`${proxy.origin}/oauth/jwks`)).json();
  const { privateKey: foreignKey } = await generateKeyPair('ES256');
  const forged = await new SignJWT({ scope: 'read write', client_id: users[0].clientId })
    .setProtectedHeader({ alg: 'ES256', kid: keys[0].kid, typ: 'at+jwt' })
    .setIssuer(proxy.origin)
    .setAudience(mcpUrl)
    .setSubject('mallory')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(foreignKey);
  const valid = users.map((user) => user.tokens.access_token);
  const malformed = toolsCall(undefined);
  malformed.headers = { ...malformed.headers, authorization: 'Bearer a b' };
  const mix = [
    ...valid.map((token) => toolsCall(token, 'add')), // 200
    toolsCall(valid[0], 'whoami', {}), // 200
    toolsCall(forged), // 401
    toolsCall(undefined), // 401
    toolsCall(revoked.tokens.access_token), // 401: its grant is gone
    toolsCall(readOnly.tokens.access_token, 'add_note', { text: 'x' }), // 403: write needed
    malformed, // 400
  ];
  // Each kind answers what it should at every replica before the load starts.
  for (const replica of replicas) {
    const at = `${replica.url}/mcp`;
    const seen = [await call(at, valid[1], 'add', { a: 2, b: 3 }), await call(at, forged), await call(at, revoked.tokens.access_token), await call(at, readOnly.tokens.access_token, 'add_note', { text: 'x' })];
    if (seen.join() !== '200,401,401,403') throw new Error(`replica at ${replica.url} answered ${seen.join()} to valid, forged, revoked, wrong scope (expected 200,401,401,403)`);
  }

  const phaseRows = [];
  const outage = {};
  for (let phase = 0; phase < phases; phase++) {
    const from = proxy.log.at.length;
    const seconds = phase === outagePhase ? outagePhaseSeconds : phaseSeconds;
    const load = hammer(mcpUrl, { requests: mix, duration: seconds, connections, timeout: 10 });
    const outageDone = phase === outagePhase ? redisOutage() : undefined;
    const result = await load;
    await outageDone;
    const memory = [];
    for (const replica of replicas) {
      await replica.gc();
      memory.push(await replica.usage());
    }
    phaseRows.push({ phase, seconds, from, to: proxy.log.at.length, result, memory });
  }

  /** Kills Redis a few seconds into the phase, restarts it after the outage, and times each replica's recovery. */
  async function redisOutage() {
    await sleep(killAfterSeconds * 1000);
    const pid = redis.pid;
    outage.killedAt = Date.now();
    await redis.kill();
    pids.delete(pid);
    await sleep(outageSeconds * 1000);
    await redis.restart();
    pids.add(redis.pid);
    outage.restartedAt = Date.now();
    // Each replica reconnects on its own (on its next command after its backoff): recovered once it accepts a token again.
    outage.recoveredAfterMs = await Promise.all(
      replicas.map(async (replica) => {
        while (Date.now() - outage.restartedAt < 30_000) {
          if ((await call(`${replica.url}/mcp`, valid[0]).catch(() => 0)) === 200) return Date.now() - outage.restartedAt;
          await sleep(20);
        }
        return Infinity;
      }),
    );
  }

  // After recovery: what was committed before the outage is still there, at every replica.
  const after = [];
  for (const replica of replicas) {
    const at = `${replica.url}/mcp`;
    after.push({
      tokens: (await Promise.all(valid.map((token) => call(at, token)))).every((status) => status === 200),
      revoked: (await call(at, revoked.tokens.access_token)) === 401,
    });
  }
  const refreshed = await fetch(`${proxy.origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: users[0].clientId, refresh_token: users[0].tokens.refresh_token }),
  });
  await refreshed.body?.cancel();
  const newSignIn = await signIn(proxy.origin, mcpUrl).then(
    async ({ tokens }) => (await call(mcpUrl, tokens.access_token)) === 200,
    () => false,
  );

  // Every answer the proxy saw during the phases, placed against the outage window.
  const windowStart = outage.killedAt;
  const windowEnd = outage.restartedAt + graceSeconds * 1000;
  const { log } = proxy;
  const start = phaseRows[0].from;
  const end = phaseRows.at(-1).to;
  const perReplica = replicas.map(() => ({ requests: 0, '2xx': 0, '4xx': 0, inside5xx: 0, outside5xx: 0 }));
  const inside = { total: 0, '5xx': 0, retry503: 0, other5xx: 0, lastAfterRestartMs: undefined };
  const outside = { '5xx': 0, statuses: {} };
  const afterWindow = { total: 0, '2xx': 0 };
  for (let i = start; i < end; i++) {
    const [at, replica, status] = [log.at[i], log.replica[i], log.status[i]];
    const row = perReplica[replica];
    row.requests++;
    if (status < 300) row['2xx']++;
    else if (status < 500) row['4xx']++;
    const within = at >= windowStart && at <= windowEnd;
    if (within) inside.total++;
    if (at > windowEnd) {
      afterWindow.total++;
      if (status < 300) afterWindow['2xx']++;
    }
    if (status < 500) continue;
    if (at > outage.restartedAt) inside.lastAfterRestartMs = at - outage.restartedAt;
    if (within) {
      row.inside5xx++;
      inside['5xx']++;
      if (status === 503 && log.retryAfter[i]) inside.retry503++;
      else inside.other5xx++;
    } else {
      row.outside5xx++;
      outside['5xx']++;
      outside.statuses[status] = (outside.statuses[status] ?? 0) + 1;
    }
  }
  const total = end - start;

  console.log(`\n## Replicated load: ${count} replicas of the ${framework} broker project, one redis-server, a round-robin proxy\n`);
  console.log(`${phases} phases of ${phaseSeconds} s (phase ${outagePhase + 1}: ${outagePhaseSeconds} s) × ${connections} connections of mixed tools/call through the proxy; ` + `${signIns} requests for 6 sign-ins and a revocation before them. Redis killed ${killAfterSeconds} s into phase ${outagePhase + 1}, restarted ${outageSeconds} s later; window = kill → restart + ${graceSeconds} s grace.\n`);
  console.log('| phase | s | requests | req/s | 2xx | 400 | 401 | 403 | 503 | other 5xx | errors/timeouts | heap after GC per replica (MB) | RSS per replica (MB) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  let errors = 0;
  for (const { phase, seconds, result, memory } of phaseRows) {
    const codes = {};
    for (const [code, { count: n }] of Object.entries(result.statusCodeStats ?? {})) codes[code] = n;
    const sum = (test) => Object.entries(codes).filter(([code]) => test(Number(code))).reduce((a, [, n]) => a + n, 0);
    errors += result.errors + result.timeouts;
    const label = phase === outagePhase ? `${phase + 1} (Redis down)` : String(phase + 1);
    console.log(
      `| ${label} | ${seconds} | ${result.requests.total} | ${Math.round(result.requests.average)} | ${sum((c) => c < 300)} | ${codes[400] ?? 0} | ${codes[401] ?? 0} | ${codes[403] ?? 0} | ${codes[503] ?? 0} | ${sum((c) => c >= 500 && c !== 503)} | ${result.errors + result.timeouts} | ${memory.map((m) => mb(m.heap)).join(' / ')} | ${memory.map((m) => mb(m.rss)).join(' / ')} |`,
    );
  }

  const logLines = (i) => {
    const lines = replicas[i].stderr().split('\n').filter(Boolean);
    return `${lines.length} (${lines.filter((line) => line.includes('StoreUnavailableError')).length})`;
  };
  console.log('\n| replica | requests | share | 2xx | 4xx | 5xx in window | 5xx outside | heap after GC per phase (MB) | RSS per phase (MB) | recovered after restart | stderr lines (store unavailable) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  perReplica.forEach((row, i) => {
    const heaps = phaseRows.map(({ memory }) => mb(memory[i].heap)).join(' → ');
    const rss = phaseRows.map(({ memory }) => mb(memory[i].rss)).join(' → ');
    console.log(`| ${i} | ${row.requests} | ${((100 * row.requests) / total).toFixed(1)} % | ${row['2xx']} | ${row['4xx']} | ${row.inside5xx} | ${row.outside5xx} | ${heaps} | ${rss} | ${outage.recoveredAfterMs[i]} ms | ${logLines(i)} |`);
  });

  const yes = (ok) => (ok ? 'yes' : '**no**');
  const lastAfter = inside.lastAfterRestartMs === undefined ? 'none' : `${inside.lastAfterRestartMs} ms`;
  console.log('\n| outage | |');
  console.log('|---|---|');
  console.log(`| window (kill → restart + ${graceSeconds} s) | ${((windowEnd - windowStart) / 1000).toFixed(1)} s, ${inside.total} answers in it |`);
  console.log(`| 5xx in the window | ${inside['5xx']} (503 with Retry-After: ${inside.retry503}, other: ${inside.other5xx}) |`);
  console.log(`| last 5xx after the restart | ${lastAfter} |`);
  console.log(`| 5xx outside the window | ${outside['5xx']}${outside['5xx'] ? ` ${JSON.stringify(outside.statuses)}` : ''} |`);
  console.log(`| after the window | ${afterWindow.total} answers, ${afterWindow['2xx']} 2xx |`);
  console.log(`| tokens issued before the outage accepted after it, every replica | ${yes(after.every((a) => a.tokens))} |`);
  console.log(`| token revoked before the outage still refused, every replica | ${yes(after.every((a) => a.revoked))} |`);
  console.log(`| refresh token issued before the outage redeemed after it | ${yes(refreshed.status === 200)} (${refreshed.status}) |`);
  console.log(`| new sign-in after recovery, its token accepted | ${yes(newSignIn)} |`);

  if (outside['5xx'] > 0) fail(`${outside['5xx']} 5xx outside the outage window`);
  if (inside.other5xx > 0) fail(`${inside.other5xx} 5xx in the window that are not 503 with Retry-After`);
  if (errors > 0) fail(`${errors} socket errors or timeouts`);
  if (afterWindow['2xx'] === 0) fail('nothing succeeded after the window');
  if (!after.every((a) => a.tokens && a.revoked) || refreshed.status !== 200 || !newSignIn) fail('a check after recovery failed');
  if (outage.recoveredAfterMs.some((ms) => ms === Infinity)) fail('a replica did not recover within 30 s');
  const logs = [...new Set(replicas.flatMap((replica) => replica.stderr().split('\n')).filter(Boolean))];
  if (logs.length) console.log(`\nReplica logs (distinct lines): ${logs.slice(0, 8).map((line) => `\`${line.slice(0, 200)}\``).join('; ')}`);
  if (problems.length) console.log(`\n**FAILED**: ${problems.join('; ')}`);
}
