/**
 * A small Redis client for the broker's store, with no dependency: one connection at a time (commands pipelined on
 * it), AUTH and SELECT from REDIS_URL on every (re)connection, a timeout on every command, and reconnection with
 * backoff. Every failure is a StoreUnavailableError whose message names the server without its credentials, so the
 * broker answers 503 instead of hanging or crashing, and recovers by itself once Redis is back.
 */
import type { BrokerLog } from './contracts.js';
import { StoreUnavailableError } from './contracts.js';
import { openRedisConnection, type RedisConnection } from './redis-connection.js';
import { RespError, type RespValue } from './redis-protocol.js';
import { parseRedisUrl } from './redis-url.js';

export interface RedisClientOptions {
  /** `redis://[user:password@]host[:port][/db]`, `rediss://` for TLS. */
  url: string;
  /** Extra trusted certificate(s) for `rediss://` (a private CA); NODE_EXTRA_CA_CERTS works as well. */
  ca?: string | Buffer;
  /** Milliseconds to connect, authenticate and select the database (default 3000). */
  connectTimeoutMs?: number;
  /** Milliseconds a command may wait for its reply; past it the connection is dropped (default 2000). */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts; it doubles from 100 ms while Redis stays down (default 2000). */
  maxBackoffMs?: number;
  log: BrokerLog;
}

export interface RedisClient {
  /** Sends one command; resolves with its reply. An error reply or any failure rejects with StoreUnavailableError. */
  command(...args: (string | number)[]): Promise<RespValue>;
  /** Finishes the commands already sent, then disconnects; later commands fail. */
  close(): Promise<void>;
  /** The server, without credentials: for messages. */
  readonly display: string;
}

const FIRST_BACKOFF_MS = 100;

/** Creates the client; it connects on the first command (`await client.command('PING')` to check at start-up). */
export function createRedisClient(options: RedisClientOptions): RedisClient {
  const target = parseRedisUrl(options.url);
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  const commandTimeoutMs = options.commandTimeoutMs ?? 2000;
  const maxBackoffMs = options.maxBackoffMs ?? 2000;
  const connectOptions = options.ca !== undefined ? { ca: options.ca } : {};
  let current: Promise<RedisConnection> | undefined;
  let failedAttempts = 0;
  let nextAttemptAt = 0;
  let lastFailure: StoreUnavailableError | undefined;
  let closed = false;

  function noteFailure(failure: StoreUnavailableError): void {
    // Logged once per outage, not once per attempt: a Redis down for a minute must not flood the log.
    if (failedAttempts === 0) options.log(`${failure.message}; reconnecting with backoff`);
    failedAttempts += 1;
    nextAttemptAt = Date.now() + Math.min(maxBackoffMs, FIRST_BACKOFF_MS * 2 ** (failedAttempts - 1));
    lastFailure = failure;
  }

  /** Connects, then authenticates and selects the database before any command of the caller's is sent. */
  async function connect(): Promise<RedisConnection> {
    const connection = openRedisConnection(target, connectOptions);
    const handshake: (string | number)[][] = [];
    if (target.password !== undefined) {
      handshake.push(target.username !== undefined ? ['AUTH', target.username, target.password] : ['AUTH', target.password]);
    }
    if (target.db !== 0) handshake.push(['SELECT', target.db]);
    // PING last: a server that wants a password nobody gave answers NOAUTH here, not on the caller's first command.
    handshake.push(['PING']);
    const replies = await Promise.all(handshake.map((args) => connection.send(args, connectTimeoutMs)));
    const refusal = replies.find((reply): reply is RespError => reply instanceof RespError);
    if (refusal) {
      await connection.end();
      const step = /^NOAUTH/i.test(refusal.message)
        ? 'wants a password, and REDIS_URL gives none'
        : /^(WRONGPASS|ERR AUTH|ERR invalid password)/i.test(refusal.message)
          ? 'refused the credentials of REDIS_URL'
          : 'refused the connection set-up';
      throw new StoreUnavailableError(`Redis at ${target.display} ${step}: ${refusal.message}`);
    }
    return connection;
  }

  function connection(): Promise<RedisConnection> {
    if (closed) return Promise.reject(new StoreUnavailableError(`the Redis client for ${target.display} is closed`));
    if (current) return current;
    const waitMs = nextAttemptAt - Date.now();
    if (waitMs > 0) {
      // Fail at once rather than queue behind the backoff: the caller answers 503 with Retry-After.
      const reason = lastFailure ? lastFailure.message : `Redis at ${target.display} is unavailable`;
      return Promise.reject(new StoreUnavailableError(`${reason} (next reconnection attempt in ${waitMs} ms)`));
    }
    const attempt = connect().then(
      (opened) => {
        if (failedAttempts > 0) options.log(`Redis at ${target.display} is reachable again`);
        failedAttempts = 0;
        void opened.closed.then((failure) => {
          if (current === attempt) current = undefined;
          if (failure && !closed) noteFailure(failure);
        });
        return opened;
      },
      (error: unknown) => {
        current = undefined;
        const failure = error instanceof StoreUnavailableError ? error : new StoreUnavailableError(`Redis at ${target.display} is unavailable`, { cause: error });
        noteFailure(failure);
        throw failure;
      },
    );
    current = attempt;
    return attempt;
  }

  return {
    display: target.display,
    async command(...args) {
      const reply = await (await connection()).send(args, commandTimeoutMs);
      if (reply instanceof RespError) {
        throw new StoreUnavailableError(`Redis at ${target.display} answered ${String(args[0])} with an error: ${reply.message}`);
      }
      return reply;
    },
    async close() {
      closed = true;
      const open = await current?.catch(() => undefined);
      current = undefined;
      await open?.end();
    },
  };
}
