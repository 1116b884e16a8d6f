import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * The environment for child commands: ours minus what the outer `npm test` / vitest set, which would otherwise leak
 * into the generated project's own `npm test` (a nested vitest reads VITEST_* and NODE_ENV).
 */
function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !/^(VITEST|TINYPOOL|npm_lifecycle_|npm_package_|NODE_ENV$)/.test(name));
  // An `undefined` in `extra` removes the inherited variable (spawn would pass the string "undefined").
  return Object.fromEntries(Object.entries({ ...Object.fromEntries(inherited), ...extra }).filter(([, value]) => value !== undefined));
}

/** Runs a command to completion; rejects with its output when it fails, so CI logs say why. */
export async function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<string> {
  const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code} in ${options.cwd}\n${output}`);
  return output;
}

/**
 * Runs a command to completion and returns its exit code and output, failing or not: for commands whose exit code
 * is an answer (the CLI's `update --check` exits 2 when an update is due).
 */
export async function runForAnswer(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, output };
}

export interface Background {
  child: ChildProcess;
  output: () => string;
  /** Stops the whole process group (npm → node children included). */
  stop(): Promise<void>;
}

/** Starts a long-running command in its own process group and resolves once `ready` appears in its output. */
export async function start(command: string, args: string[], options: { cwd: string; env?: Record<string, string | undefined>; ready: RegExp; timeoutMs?: number }): Promise<Background> {
  const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const background: Background = {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = once(child, 'close');
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 5000);
      await closed;
      clearTimeout(timer);
    },
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${options.timeoutMs ?? 60_000} ms:\n${output}`)), options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready.test(output)) (clearTimeout(timer), resolve());
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('close', (code) => (clearTimeout(timer), reject(new Error(`exited ${code} before ready:\n${output}`))));
  });
  return background;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
