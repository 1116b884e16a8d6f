/** Bounds on the calls a `CallLimiter` lets through. */
export interface CallLimits {
  /** Calls running at once (at least 1). */
  maxConcurrent: number;
  /** Calls waiting for a free slot, first come first served (0 or more); one more is refused at once. */
  maxQueued: number;
}

/** Runs tasks with a bound on how many run at once and how many may wait. */
export interface CallLimiter {
  /**
   * Runs `task` now, or once a slot frees if a queue place is left. Returns `undefined`, without running it, when
   * every slot and queue place is taken: the caller decides what "busy" means to its own caller.
   */
  run<T>(task: () => Promise<T>): Promise<T> | undefined;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly queued: number;
}

/**
 * A concurrency limit with a small bounded wait queue. Refusing beyond the queue, instead of queueing without end,
 * is the point: a burst larger than the bound costs the remote side at most `maxConcurrent` calls at a time and
 * this process at most `maxQueued` waiting promises, and the excess gets an immediate answer it can retry.
 *
 * @example
 * const limiter = createCallLimiter({ maxConcurrent: 8, maxQueued: 16 });
 * const call = limiter.run(() => fetch(url));
 * if (!call) throw new Error('busy');
 */
export function createCallLimiter({ maxConcurrent, maxQueued }: CallLimits): CallLimiter {
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new TypeError('call limits: maxConcurrent must be an integer of at least 1');
  if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new TypeError('call limits: maxQueued must be a non-negative integer');
  let active = 0;
  const waiting: (() => void)[] = [];

  // A finished task hands its slot straight to the oldest waiter, so `active` never dips while others wait.
  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }

  function start<T>(task: () => Promise<T>): Promise<T> {
    return Promise.resolve().then(task).finally(release);
  }

  return {
    run(task) {
      if (active < maxConcurrent) {
        active++;
        return start(task);
      }
      if (waiting.length >= maxQueued) return undefined;
      return new Promise<void>((resolve) => waiting.push(resolve)).then(() => start(task));
    },
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
  };
}
