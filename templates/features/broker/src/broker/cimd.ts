/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, MCP 2026-07-28): a client whose
 * `client_id` is an https URL is described by the JSON document at that URL. This file holds the URL rules, the
 * document rules and the cache; `cimd-fetch.ts` does the SSRF-safe fetch.
 *
 * Cache: a valid document is kept in the store under `cimd:<sha256 of the URL>` for its Cache-Control max-age,
 * bounded to [60 s, 24 h] (1 h when absent, 60 s for no-store/no-cache: a floor, so a flood of authorization
 * requests cannot make the broker refetch per request). A failure is kept for 30 s for the same reason. Concurrent
 * look-ups of one URL in this process share one fetch, and fetches are rate-capped (`maxFetchesPerMinute`).
 */
import { isLoopbackUrl } from '../auth/secure-url.js';
import { fetchCimdDocument, CimdFetchError, type CimdFetchOptions } from './cimd-fetch.js';
import { hasUserinfo, parseClientMetadata } from './client-metadata.js';
import { BrokerError, type BrokerClient, type BrokerClock, type BrokerStore } from './contracts.js';
import { hashKey } from './store.js';

export const CIMD_MIN_CACHE_SECONDS = 60;
export const CIMD_MAX_CACHE_SECONDS = 24 * 60 * 60;
export const CIMD_DEFAULT_CACHE_SECONDS = 60 * 60;
export const CIMD_FAILURE_CACHE_SECONDS = 30;
const MAX_CLIENT_ID_LENGTH = 2000;

type CachedLookup = { client: BrokerClient } | { failure: string };

/**
 * Whether a `client_id` is meant as a metadata document URL (`scheme://…`; registered ids are base64url, never so).
 * Such ids then pass or fail the CIMD rules with a reason; any other unknown id is simply no client.
 */
export function isMetadataDocumentClientId(clientId: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(clientId);
}

/**
 * The document URL of a CIMD `client_id`: https (http only to loopback in development), with a path, no fragment,
 * no userinfo, no dot segments, and already in canonical form (the document must repeat it byte for byte).
 */
export function parseMetadataDocumentUrl(clientId: string, allowLoopbackHttp: boolean): URL {
  const refuse = (why: string): never => {
    throw new BrokerError('invalid_client', `client_id ${why}`);
  };
  if (clientId.length > MAX_CLIENT_ID_LENGTH) return refuse('is too long');
  if (!URL.canParse(clientId)) return refuse('is neither a registered client id nor a URL');
  const url = new URL(clientId);
  const loopbackHttp = url.protocol === 'http:' && isLoopbackUrl(url);
  if (url.protocol !== 'https:' && !(allowLoopbackHttp && loopbackHttp)) return refuse('must be an https URL');
  if (clientId.includes('#')) return refuse('must not have a fragment');
  if (hasUserinfo(url, clientId)) return refuse('must not contain userinfo');
  if (/\/(?:\.|%2e){1,2}(?:[/?]|$)/i.test(clientId)) return refuse('must not contain dot segments');
  if (url.pathname === '/' || url.pathname === '') return refuse('must have a path');
  // Anything the URL parser rewrote (case, default port, encoding, dot segments) would never match the document.
  if (url.href !== clientId) return refuse('must be written in canonical form');
  return url;
}

export interface CimdResolverOptions extends CimdFetchOptions {
  store: BrokerStore;
  now: BrokerClock;
  /**
   * Documents fetched per minute, all clients together (default 60). Anyone can name any URL as a client_id at the
   * authorization endpoint; this bounds the fetches and the cache entries a flood of fresh URLs can cause. Cached
   * clients are not affected.
   */
  maxFetchesPerMinute?: number;
}

/** Returns a look-up of CIMD clients: cached, else fetched and validated. Throws BrokerError('invalid_client'). */
export function createCimdResolver(options: CimdResolverOptions): (clientId: string) => Promise<BrokerClient> {
  const inFlight = new Map<string, Promise<CachedLookup>>();

  async function lookUp(url: URL, cacheKey: string): Promise<CachedLookup> {
    const cached = await options.store.get<CachedLookup>(cacheKey);
    if (cached) return cached;
    const minute = Math.floor(options.now() / 60);
    if ((await options.store.increment(`cimd-fetches:${minute}`, 60)) > (options.maxFetchesPerMinute ?? 60)) {
      throw new BrokerError('temporarily_unavailable', 'too many client metadata documents to fetch right now; try again in a minute');
    }
    try {
      const { body, cacheControl } = await fetchCimdDocument(url, options);
      const client = clientFromDocument(url, body);
      const result = { client };
      await options.store.set(cacheKey, result, cacheSecondsOf(cacheControl));
      return result;
    } catch (error) {
      if (!(error instanceof CimdFetchError || error instanceof BrokerError)) throw error;
      const result = { failure: error.message };
      await options.store.set(cacheKey, result, CIMD_FAILURE_CACHE_SECONDS);
      return result;
    }
  }

  return async function resolveMetadataDocumentClient(clientId: string): Promise<BrokerClient> {
    const url = parseMetadataDocumentUrl(clientId, options.allowLoopbackHttp);
    const cacheKey = `cimd:${await hashKey(clientId)}`;
    let pending = inFlight.get(cacheKey);
    if (!pending) {
      pending = lookUp(url, cacheKey).finally(() => inFlight.delete(cacheKey));
      inFlight.set(cacheKey, pending);
    }
    const result = await pending;
    if ('failure' in result) throw new BrokerError('invalid_client', result.failure);
    return result.client;
  };
}

/** The client a document describes; BrokerError('invalid_client') with a safe message when it breaks a rule. */
export function clientFromDocument(url: URL, document: unknown): BrokerClient {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new BrokerError('invalid_client', 'the client metadata document is not a JSON object');
  }
  if ((document as Record<string, unknown>)['client_id'] !== url.href) {
    throw new BrokerError('invalid_client', 'the client metadata document has a client_id other than its URL');
  }
  let metadata;
  try {
    metadata = parseClientMetadata(document, 'cimd');
  } catch (error) {
    if (error instanceof BrokerError) throw new BrokerError('invalid_client', `invalid client metadata document: ${error.message}`);
    throw error;
  }
  const client: BrokerClient = {
    clientId: url.href,
    clientName: metadata.clientName ?? url.host,
    redirectUris: metadata.redirectUris,
    kind: 'cimd',
    tokenEndpointAuthMethod: 'none',
  };
  if (metadata.clientUri !== undefined) client.clientUri = metadata.clientUri;
  if (metadata.logoUri !== undefined) client.logoUri = metadata.logoUri;
  return client;
}

/** Cache lifetime from Cache-Control, bounded: max-age within [60 s, 24 h], no-store/no-cache → 60 s, none → 1 h. */
export function cacheSecondsOf(cacheControl: string | undefined): number {
  if (cacheControl === undefined) return CIMD_DEFAULT_CACHE_SECONDS;
  if (/(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$|=)/i.test(cacheControl)) return CIMD_MIN_CACHE_SECONDS;
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl)?.[1];
  if (maxAge === undefined) return CIMD_DEFAULT_CACHE_SECONDS;
  return Math.min(CIMD_MAX_CACHE_SECONDS, Math.max(CIMD_MIN_CACHE_SECONDS, Number(maxAge)));
}
