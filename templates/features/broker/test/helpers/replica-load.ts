/**
 * Load for the replica tests: clients calling whoami through the proxy back to back, each result timed, so a test can
 * tell the 5xx inside an outage window from those outside it.
 */
import { callWhoami } from './replica-set.js';

export interface LoadResult {
  status: number;
  retryAfter: string | null;
  startedAt: number;
  endedAt: number;
}

/** Polls `check` (20 ms apart, 10 s at most): waiting for a reconnection is the one thing a fixed clock cannot do. */
export async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `workers` clients calling whoami through the proxy back to back until stopped. */
export function startLoad(mcpUrl: string, token: string, workers: number) {
  const results: LoadResult[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let running = true;
  const worker = async () => {
    while (running) {
      const startedAt = Date.now();
      const { status, retryAfter } = await callWhoami(mcpUrl, token).catch(() => ({ status: 599, retryAfter: null }));
      results.push({ status, retryAfter, startedAt, endedAt: Date.now() });
      for (const waiter of waiters.filter((w) => results.length >= w.count)) waiter.resolve();
    }
  };
  const all = Promise.all(Array.from({ length: workers }, worker));
  return {
    count: () => results.length,
    /** Resolves once `count` requests have completed. */
    until: (count: number) => new Promise<void>((resolve) => (results.length >= count ? resolve() : waiters.push({ count, resolve }))),
    async stop() {
      running = false;
      await all;
      return results;
    },
  };
}
