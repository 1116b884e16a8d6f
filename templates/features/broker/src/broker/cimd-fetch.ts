/**
 * Fetches a Client ID Metadata Document with the SSRF defences of the CIMD draft §6: the host is resolved once, every
 * address is checked against the address policy, and the connection goes to the checked address (a `lookup` that
 * returns it), so a second DNS answer (rebinding) cannot redirect it. Redirects are refused, not followed: a client's
 * document lives at its client_id, and following a redirect is the classic way to reach an internal address. The
 * whole exchange has one deadline, and the body is counted while it streams and dropped past the size cap.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isAllowedAddress, isIpLiteral } from './address-policy.js';

export interface CimdFetchOptions {
  /** Development only: http to a loopback host and loopback addresses are allowed (MCP_SERVER_URL is loopback http). */
  allowLoopbackHttp: boolean;
  /** All addresses of a host name (default: the system resolver, every address). Tests simulate DNS with it. */
  resolveHost: (host: string) => Promise<string[]>;
  /** Deadline for the whole fetch, in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Largest accepted body, in bytes (default 16 KiB). */
  maxBytes?: number;
  /** Extra trust anchors (PEM) for https: tests with a self-signed certificate. */
  ca?: string;
}

export const CIMD_TIMEOUT_MS = 5000;
export const CIMD_MAX_BYTES = 16 * 1024;

/** A refusal whose message is safe to show the client (it names no internal detail beyond the client's own URL). */
export class CimdFetchError extends Error {
  override readonly name = 'CimdFetchError';
}

export interface FetchedDocument {
  body: unknown;
  /** The response's Cache-Control header, for the cache lifetime. */
  cacheControl: string | undefined;
}

/** The system resolver: every address of the host, as the OS would connect to them. */
export async function resolveWithSystemDns(host: string): Promise<string[]> {
  const { lookup } = await import('node:dns/promises');
  return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
}

/** Fetches and parses the JSON document at `url`, refusing any address, redirect, size or type outside the rules. */
export async function fetchCimdDocument(url: URL, options: CimdFetchOptions): Promise<FetchedDocument> {
  const deadline = AbortSignal.timeout(options.timeoutMs ?? CIMD_TIMEOUT_MS);
  const address = await withDeadline(checkedAddress(url, options), deadline);
  const response = await withDeadline(sendRequest(url, address, options, deadline), deadline);
  if (response.statusCode !== 200) {
    response.destroy();
    const redirected = response.statusCode !== undefined && response.statusCode >= 300 && response.statusCode < 400;
    throw new CimdFetchError(redirected ? 'the client metadata document URL redirects; redirects are not followed' : `the client metadata document answered HTTP ${response.statusCode}`);
  }
  const contentType = response.headers['content-type'] ?? '';
  if (!/^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) {
    response.destroy();
    throw new CimdFetchError('the client metadata document is not served as application/json');
  }
  const text = await withDeadline(readCapped(response, options.maxBytes ?? CIMD_MAX_BYTES), deadline);
  try {
    return { body: JSON.parse(text), cacheControl: response.headers['cache-control'] };
  } catch {
    throw new CimdFetchError('the client metadata document is not valid JSON');
  }
}

/** The one address to connect to, after checking every address the host has (one bad address refuses the host). */
async function checkedAddress(url: URL, options: CimdFetchOptions): Promise<string> {
  const policy = { allowLoopback: options.allowLoopbackHttp };
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: string[];
  if (isIpLiteral(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await options.resolveHost(host);
    } catch {
      throw new CimdFetchError(`the client metadata document host ${host} could not be resolved`);
    }
  }
  if (addresses.length === 0) throw new CimdFetchError(`the client metadata document host ${host} has no address`);
  if (!addresses.every((address) => isAllowedAddress(address, policy))) {
    throw new CimdFetchError(`the client metadata document host ${host} resolves to an address that is not public`);
  }
  return addresses[0] as string;
}

function sendRequest(url: URL, address: string, options: CimdFetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const family = address.includes(':') ? 6 : 4;
  // Every lookup answers the checked address: no second resolution between the check and the connection.
  const pinnedLookup = ((_host: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (lookupOptions.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      lookup: pinnedLookup,
      agent: false, // a fresh connection: a pooled one could lead to another address
      signal,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
    request.once('response', resolve);
    // `on`, not `once`: an abort after the response (deadline, size cap) emits 'error' again, which must not throw.
    request.on('error', () => reject(new CimdFetchError('the client metadata document could not be fetched')));
    request.end();
  });
}

/** The body as UTF-8 text, refused as soon as it passes `maxBytes` (never buffered beyond that). */
function readCapped(response: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(new CimdFetchError(`the client metadata document is larger than ${maxBytes} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    response.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        // Reject before destroying: destroy() emits 'aborted' and 'error', which must not decide the reason.
        reject(new CimdFetchError(`the client metadata document is larger than ${maxBytes} bytes`));
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () => {
      try {
        resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        reject(new CimdFetchError('the client metadata document is not valid UTF-8'));
      }
    });
    response.on('error', () => reject(new CimdFetchError('the client metadata document could not be read')));
    response.once('aborted', () => reject(new CimdFetchError('the client metadata document could not be read')));
  });
}

/** Rejects when the deadline passes first (the request itself is aborted by the same signal). */
function withDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  if (deadline.aborted) return Promise.reject(new CimdFetchError('fetching the client metadata document timed out'));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new CimdFetchError('fetching the client metadata document timed out'));
    deadline.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => deadline.removeEventListener('abort', onAbort));
  });
}
