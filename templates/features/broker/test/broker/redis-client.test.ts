/**
 * How the Redis store fails and recovers, against a real redis-server: credentials, TLS, Redis killed, frozen and
 * restarted mid-use. Every failure must be a StoreUnavailableError (answered 503), quickly, and never print a password.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../../src/broker/contracts.js';
import { createRedisClient } from '../../src/broker/redis-client.js';
import { createRedisStore } from '../../src/broker/redis-store.js';
import { redisServerPath, startRedis, type RunningRedis } from '../helpers/redis-server.js';

const SKIP = redisServerPath ? false : 'redis-server is not installed (apt-get install redis-server, as .ci/run does)';
const now = () => Math.floor(Date.now() / 1000);
const PASSWORD = 'correct-horse-battery';

function recordingLog() {
  const lines: string[] = [];
  return { lines, log: (message: string, error?: unknown) => void lines.push(`${message} ${error instanceof Error ? error.message : ''}`) };
}

/** The rejection of `promise`, which must be a StoreUnavailableError. */
async function unavailable(promise: Promise<unknown>): Promise<StoreUnavailableError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(StoreUnavailableError);
  return error as StoreUnavailableError;
}

describe.skipIf(SKIP)('Redis credentials', { timeout: 30_000 }, () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis({ args: ['--requirepass', PASSWORD] });
    const admin = createRedisClient({ url: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`, log: () => {} });
    await admin.command('ACL', 'SETUSER', 'broker', 'on', '>broker-pass', '~*', '&*', '+@all');
    await admin.close();
  }, 30_000);
  afterAll(() => redis?.stop());

  it('authenticates with the password of REDIS_URL, or a user and password (ACL)', async () => {
    for (const url of [`redis://:${PASSWORD}@127.0.0.1:${redis.port}`, `redis://broker:broker-pass@127.0.0.1:${redis.port}/2`]) {
      const store = await createRedisStore({ url, now, log: () => {} });
      await store.set('k', 'v', 60);
      expect(await store.get('k')).toBe('v');
      await store.close();
    }
  });

  it('says a wrong password was refused, without printing it', async () => {
    const { lines, log } = recordingLog();
    const error = await unavailable(createRedisStore({ url: `redis://:wrong-${PASSWORD}@127.0.0.1:${redis.port}`, now, log }));
    expect(error.message).toMatch(/refused the credentials of REDIS_URL: WRONGPASS/);
    expect(error.message).toContain(`redis://127.0.0.1:${redis.port}/0`);
    for (const text of [error.message, String(error.stack), ...lines]) expect(text).not.toContain(PASSWORD);
    const wrongUser = await unavailable(createRedisStore({ url: `redis://broker:nope@127.0.0.1:${redis.port}`, now, log }));
    expect(wrongUser.message).toMatch(/WRONGPASS/);
  });

  it('says a password is needed when REDIS_URL has none', async () => {
    const error = await unavailable(createRedisStore({ url: redis.url, now, log: () => {} }));
    expect(error.message).toMatch(/wants a password, and REDIS_URL gives none: NOAUTH/);
  });
});

/** Debian's redis-server is built with TLS; a build without it rejects the directive itself. */
function redisHasTls(): boolean {
  if (!redisServerPath) return false;
  const probe = spawnSync(redisServerPath, ['--port', '0', '--tls-port', '1', '--tls-cert-file', '/nonexistent'], { encoding: 'utf8', timeout: 5000 });
  return !/Bad directive/i.test(`${probe.stdout}${probe.stderr}`);
}
const SKIP_TLS = SKIP || (redisHasTls() ? false : 'this redis-server was built without TLS (Debian builds it with TLS)');

describe.skipIf(SKIP_TLS)('Redis over TLS (rediss://)', { timeout: 30_000 }, () => {
  let redis: RunningRedis;
  let certificate: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    // A self-signed certificate for 127.0.0.1, made fresh for this run.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key,
      '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    certificate = readFileSync(cert, 'utf8');
    redis = await startRedis({ tls: { cert, key } });
  }, 30_000);
  afterAll(() => redis?.stop());

  it('works when the certificate is trusted', async () => {
    const store = await createRedisStore({ url: redis.url, ca: certificate, now, log: () => {} });
    await store.set('k', { over: 'tls' }, 60);
    expect(await store.get('k')).toEqual({ over: 'tls' });
    await store.close();
  });

  it('refuses a certificate it cannot verify, and says why', async () => {
    const error = await unavailable(createRedisStore({ url: redis.url, now, log: () => {} }));
    expect(error.message).toMatch(/self.signed certificate/i);
  });

  it('never falls back to plain TCP: rediss:// to a server without TLS fails', async () => {
    const plain = await startRedis();
    try {
      const url = plain.url.replace('redis:', 'rediss:');
      const error = await unavailable(createRedisStore({ url, ca: certificate, now, log: () => {}, timeouts: { connectTimeoutMs: 500 } }));
      expect(error.message).toMatch(/is unavailable/);
    } finally {
      await plain.stop();
    }
  });
});

describe.skipIf(SKIP)('Redis going away mid-use', { timeout: 30_000 }, () => {
  let redis: RunningRedis;
  beforeAll(async () => void (redis = await startRedis()), 30_000);
  afterAll(() => redis?.stop());

  it('fails fast while Redis is down, then reconnects by itself once it is back', async () => {
    const { lines, log } = recordingLog();
    const store = await createRedisStore({ url: redis.url, now, log, timeouts: { maxBackoffMs: 200 } });
    await store.set('k', 1, 60);
    const inFlight = Array.from({ length: 20 }, (_, i) => store.get(`k${i}`).then(() => 'answered', (error: unknown) => error));
    await redis.stop();
    for (const outcome of await Promise.all(inFlight)) if (outcome !== 'answered') expect(outcome).toBeInstanceOf(StoreUnavailableError);
    const started = Date.now();
    const error = await unavailable(store.get('k'));
    expect(error.message).toMatch(new RegExp(`Redis at redis://127\\.0\\.0\\.1:${redis.port}/0 is unavailable`));
    await unavailable(store.take('k'));
    expect(Date.now() - started).toBeLessThan(3000);

    await redis.restart();
    await vi.waitFor(() => store.set('k', 2, 60), { timeout: 10_000, interval: 50 });
    expect(await store.get('k')).toBe(2);
    expect(lines.filter((line) => /unavailable/.test(line))).toHaveLength(1);
    expect(lines.some((line) => /reachable again/.test(line))).toBe(true);
    await store.close();
  });

  it('gives up on a Redis that accepts bytes but never answers, within the command timeout', async () => {
    const store = await createRedisStore({ url: redis.url, now, log: () => {}, timeouts: { commandTimeoutMs: 300, maxBackoffMs: 100 } });
    redis.pause();
    try {
      const error = await unavailable(store.get('k'));
      expect(error.message).toMatch(/no reply within 300 ms/);
    } finally {
      redis.resume();
    }
    await vi.waitFor(() => store.get('k'), { timeout: 10_000, interval: 50 });
    await store.close();
  });

  it('reports a Redis that is not there at start-up, without the password', async () => {
    const dead = await freePortWithNothing();
    const error = await unavailable(createRedisStore({ url: `redis://:${PASSWORD}@127.0.0.1:${dead}`, now, log: () => {} }));
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain(PASSWORD);
  });
});

describe('a server that is not a usable Redis', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());
  async function fakeRedis(answer: (command: string) => string): Promise<string> {
    server = createServer((socket) => socket.on('data', (chunk) => socket.write(answer(chunk.toString()))));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return `redis://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  it('refuses a Redis older than 6.2 (no GETDEL, so no atomic take)', async () => {
    const url = await fakeRedis((command) => {
      if (command.includes('PING')) return '+PONG\r\n';
      const info = '# Server\r\nredis_version:6.0.16\r\n';
      return `$${info.length}\r\n${info}\r\n`;
    });
    const error = await unavailable(createRedisStore({ url, now, log: () => {} }));
    expect(error.message).toMatch(/version 6\.0; the broker needs Redis 6\.2 or later/);
    server?.close();
  });

  it('drops a connection that speaks something else', async () => {
    const url = await fakeRedis(() => 'HTTP/1.1 400 Bad Request\r\n\r\n');
    const error = await unavailable(createRedisStore({ url, now, log: () => {} }));
    expect(error.message).toMatch(/not RESP/);
    server?.close();
  });
});

async function freePortWithNothing(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}
