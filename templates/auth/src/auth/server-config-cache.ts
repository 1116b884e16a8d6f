import { fetchServerConfig, type AuthServerConfig, type FetchServerConfigOptions } from './discovery.js';

export interface ServerConfigCache {
  /** The provider's metadata: fetched once, shared by concurrent callers, retried after a failure. */
  get(): Promise<AuthServerConfig>;
}

/**
 * Lazily discovers the authorization server and keeps the result for the life of the process. A failure is
 * remembered for `retryAfterMs` (default 5 s) so a burst of requests during an outage costs one fetch, not one per
 * request; after that the next request starts one new attempt, which concurrent callers share, so the server recovers
 * by itself when the provider comes back. Once an attempt succeeds the metadata is never fetched again: whatever
 * the provider answers later (an outage, a 429) cannot reach a server that already knows its metadata.
 */
export function createServerConfigCache(
  issuer: string,
  options: FetchServerConfigOptions & { retryAfterMs?: number },
): ServerConfigCache {
  const retryAfterMs = options.retryAfterMs ?? 5000;
  let attempt: Promise<AuthServerConfig> | undefined;
  /** When the current attempt failed; undefined while it is running or once it has succeeded. */
  let failedAt: number | undefined;
  return {
    get() {
      if (attempt && failedAt !== undefined && Date.now() - failedAt >= retryAfterMs) {
        // Forget the failure together with the attempt: the next one is judged on its own outcome.
        attempt = undefined;
        failedAt = undefined;
      }
      attempt ??= fetchServerConfig(issuer, options).catch((error: unknown) => {
        failedAt = Date.now();
        throw error;
      });
      return attempt;
    },
  };
}
