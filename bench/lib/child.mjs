import { fork } from 'node:child_process';
import { pin } from './cpu.mjs';

/** In the server process: answer the parent's CPU and memory questions, say when ready. */
export function serveOverIpc() {
  process.on('message', (message) => {
    if (message === 'usage') {
      const { rss, heapUsed } = process.memoryUsage();
      const handles = process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
      process.send({ cpu: process.cpuUsage(), rss, heap: heapUsed, sockets: handles });
    }
    // Collected three times with pauses between: web streams (Hono's Request/Response) are released by finalizers
    // that run after a collection, so a single gc() right after a burst still counts what is already unreachable.
    if (message === 'gc') {
      void (async () => {
        for (let pass = 0; pass < 3; pass++) {
          globalThis.gc?.();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        process.send({ gc: true });
      })();
    }
  });
  process.send({ ready: true });
}

/** In the parent: start a server process and wait until it listens; `core` pins it to one core (see cpu.mjs). */
export async function startChild(script, args, env, { core } = {}) {
  const child = fork(script, args, { env: { ...process.env, HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: ['--expose-gc'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  await new Promise((resolve, reject) => {
    child.once('message', (message) => (message.ready ? resolve() : reject(new Error(String(message)))));
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}\n${stderr}`)));
  });
  if (core !== undefined) pin(child.pid, core);
  const ask = (question) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send(question);
    });
  return {
    child,
    usage: () => ask('usage'),
    gc: () => ask('gc'),
    stderr: () => stderr,
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')))),
  };
}
