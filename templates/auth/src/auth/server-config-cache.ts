import { fetchServerConfig, type AuthServerConfig, type FetchServerConfigOptions } from './discovery.js';

export interface ServerConfigCache {
  /** The provider's metadata: fetched once, shared by concurrent callers, retried after a failure. */
  get(): Promise<AuthServerConfig>;
}

/**
 * Lazily discovers the authorization server and keeps the result. A failure is remembered for `retryAfterMs`
 * (default 5 s) so a burst of requests during an outage costs one fetch, not one per request; after that the next
 * request tries again, so the server recovers by itself when the provider comes back.
 */
export function createServerConfigCache(
  issuer: string,
  options: FetchServerConfigOptions & { retryAfterMs?: number },
): ServerConfigCache {
  const retryAfterMs = options.retryAfterMs ?? 5000;
  let pending: Promise<AuthServerConfig> | undefined;
  let failedAt = 0;
  return {
    get() {
      if (pending && failedAt && Date.now() - failedAt >= retryAfterMs) pending = undefined;
      pending ??= fetchServerConfig(issuer, options).catch((error: unknown) => {
        failedAt = Date.now();
        throw error;
      });
      return pending;
    },
  };
}
