/** Small node:http helpers shared by the upstream stand-ins. */
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1 at `port` (0, the default: a free one) and resolves the port. */
export function listenOnLoopback(server: Server, port = 0): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done((server.address() as AddressInfo).port));
  });
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Plays the browser at the provider: follows redirects from `authorizationUrl` (keeping cookies, as oidc-provider's
 * interactions need them) until one leads to `callbackUrl`, and returns that URL (with `code`, `state`, `iss`).
 * The stand-in must sign the user in without a page (`autoLogin`).
 */
export async function followToCallback(authorizationUrl: URL | string, callbackUrl: string, maxHops = 10): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < maxHops; hop++) {
    if (url.href.startsWith(callbackUrl)) return url;
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    await response.body?.cancel();
    if (!location) throw new Error(`the provider answered ${response.status} at ${url.pathname} instead of redirecting`);
    url = new URL(location, url);
  }
  throw new Error('too many redirects before the callback');
}
