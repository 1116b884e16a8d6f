/**
 * One socket to Redis and its in-flight queue. Commands are written as soon as they are sent (pipelined); Redis
 * answers in order, so each reply settles the oldest waiting command. Any doubt about that order (a timeout, a
 * protocol error, a reply nobody asked for) ends the connection and fails every waiting command: a late reply must
 * never be taken for the answer to another command. redis-client.ts opens a new one when this one has failed.
 */
import net from 'node:net';
import tls from 'node:tls';
import { StoreUnavailableError } from './contracts.js';
import { encodeCommand, RespParser, type RespValue } from './redis-protocol.js';
import type { RedisTarget } from './redis-url.js';

export interface RedisConnection {
  /** Resolves with the reply (an error reply too: a `RespError`); rejects with StoreUnavailableError. */
  send(args: readonly (string | number)[], timeoutMs: number): Promise<RespValue>;
  /** Lets the commands already sent finish, then closes. */
  end(): Promise<void>;
  /** Resolves once the socket is gone, with the reason when it was a failure. */
  readonly closed: Promise<StoreUnavailableError | undefined>;
}

interface Waiting {
  resolve(value: RespValue): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** How long `end()` waits for the replies still due before it cuts the socket. */
const END_GRACE_MS = 1000;

export function openRedisConnection(target: RedisTarget, options: { ca?: string | Buffer }): RedisConnection {
  const socket = target.tls
    ? tls.connect({
        host: target.host,
        port: target.port,
        // SNI takes a name, never an address (Node warns on an IP).
        ...(net.isIP(target.host) ? {} : { servername: target.host }),
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
      })
    : net.connect({ host: target.host, port: target.port });
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 30_000);
  const parser = new RespParser();
  const waiting: Waiting[] = [];
  let failure: StoreUnavailableError | undefined;
  let ending = false;
  let settleClosed: (reason: StoreUnavailableError | undefined) => void = () => {};
  const closed = new Promise<StoreUnavailableError | undefined>((resolve) => (settleClosed = resolve));

  function fail(reason: string, cause?: unknown): void {
    if (failure) return;
    failure = new StoreUnavailableError(`Redis at ${target.display} is unavailable: ${reason}`, { cause });
    socket.destroy();
    for (const command of waiting.splice(0)) {
      clearTimeout(command.timer);
      command.reject(failure);
    }
    settleClosed(ending ? undefined : failure);
  }

  socket.on('data', (chunk: Buffer) => {
    let replies: RespValue[];
    try {
      replies = parser.push(chunk);
    } catch (error) {
      fail(`it sent bytes that are not RESP (${(error as Error).message})`, error);
      return;
    }
    for (const reply of replies) {
      const command = waiting.shift();
      if (!command) return fail('it sent a reply no command was waiting for');
      clearTimeout(command.timer);
      command.resolve(reply);
    }
  });
  socket.on('error', (error) => fail(error.message, error));
  socket.on('close', () => fail(ending ? 'the connection was closed' : 'the connection closed'));

  return {
    send(args, timeoutMs) {
      if (failure) return Promise.reject(failure);
      if (ending) return Promise.reject(new StoreUnavailableError('the Redis client is closed'));
      return new Promise<RespValue>((resolve, reject) => {
        const timer = setTimeout(() => fail(`no reply within ${timeoutMs} ms`), timeoutMs);
        waiting.push({ resolve, reject, timer });
        // Written before the socket is connected, the bytes wait in its buffer: no queue of our own is needed.
        socket.write(encodeCommand(args));
      });
    },
    async end() {
      ending = true;
      if (failure) return;
      socket.end();
      const cut = setTimeout(() => fail('closing'), END_GRACE_MS);
      await closed;
      clearTimeout(cut);
    },
    closed,
  };
}
