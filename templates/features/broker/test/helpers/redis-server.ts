/**
 * A real redis-server for the Redis store's tests, on a free port of 127.0.0.1, with nothing written to disk. Debian's
 * `redis-server` package (installed by .ci/run); `redisServerPath` is undefined when it is missing, so suites can
 * skip with a clear message instead of failing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export const redisServerPath: string | undefined = findOnPath('redis-server');

export interface RunningRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (TLS servers: the `tlsPort`, `rediss://`). */
  readonly url: string;
  /** Kills the server (SIGKILL: a crash, not a clean shutdown) and waits for it to be gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port(s) with the same arguments (its data is gone: nothing is saved). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that accepts bytes and never answers. */
  pause(): void;
  resume(): void;
}

export async function startRedis(options: { args?: string[]; tls?: { cert: string; key: string } } = {}): Promise<RunningRedis> {
  if (!redisServerPath) throw new Error('redis-server is not installed');
  const binary = redisServerPath;
  const port = await freePort();
  const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', ...(options.args ?? [])];
  if (options.tls) {
    // TLS only: the plain port closed, so a test cannot pass by accident over plain TCP.
    args.unshift('--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.cert, '--tls-key-file', options.tls.key, '--tls-auth-clients', 'no');
  } else {
    args.unshift('--port', String(port));
  }
  let child = await launch(binary, args);
  return {
    port,
    url: `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    async stop() {
      await kill(child);
    },
    async restart() {
      await kill(child);
      child = await launch(binary, args);
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
  };
}

/** Resolves once the server logs that it accepts connections; rejects with its output if it exits first. */
function launch(binary: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGCONT');
  child.kill('SIGKILL');
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
