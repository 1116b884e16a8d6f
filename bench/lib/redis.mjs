import { spawn } from 'node:child_process';
import { freePort } from './free-port.mjs';

/**
 * A real redis-server on a free port of 127.0.0.1, its data in `dir` (append-only file, fsync on every write: what it
 * acknowledged survives a kill). `kill` is a crash (SIGKILL to its PID), `restart` starts it again on the same port
 * with the same arguments, so it reloads what it had committed.
 */
export async function startRedis({ dir }) {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'no', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir];
  let child = await launch(args);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    kill: () => kill(child),
    async restart() {
      await kill(child);
      child = await launch(args);
    },
  };
}

/** Resolves once the server says it accepts connections; rejects with its output if it exits first. */
function launch(args) {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        child.removeListener('exit', onEarlyExit);
        resolve(child);
      }
    };
    const onEarlyExit = (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', onEarlyExit);
  });
}

async function kill(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGKILL');
  await exited;
}
