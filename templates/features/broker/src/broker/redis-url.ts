/**
 * REDIS_URL, read once: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. The credentials never
 * leave this object: messages and logs name the server by `display`, which has none.
 */
export interface RedisTarget {
  tls: boolean;
  host: string;
  port: number;
  /** Present with a password: `AUTH user password` (Redis 6 ACL); absent: `AUTH password` (requirepass). */
  username?: string;
  password?: string;
  db: number;
  /** `redis://host:port/db`, safe to print. */
  display: string;
}

const DEFAULT_PORT = 6379;

/** Throws a TypeError that quotes no part of the URL but its scheme (the rest may hold a password). */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('REDIS_URL is not a URL: expected redis://[user:password@]host[:port][/db] or rediss://…');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new TypeError(`REDIS_URL must start with redis:// or rediss:// (TLS), not ${parsed.protocol}//`);
  }
  // WHATWG URLs keep IPv6 hosts in brackets; sockets want the bare address.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new TypeError('REDIS_URL has no host');
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT;
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) throw new TypeError('REDIS_URL: the path must be a database number, like /0');
  const db = dbText === '' ? 0 : Number(dbText);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  const username = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  if (username !== undefined && password === undefined) throw new TypeError('REDIS_URL names a user without a password');
  return {
    tls: parsed.protocol === 'rediss:',
    host,
    port,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    db,
    display: `${parsed.protocol}//${parsed.host}/${db}`,
  };
}
