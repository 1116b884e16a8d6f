import { vi } from 'vitest';

/**
 * Moves the wall clock forward as a real wait would, without waiting: only `Date` is faked, so sockets and timers
 * keep running. Undo with `vi.useRealTimers()` (in `afterEach`). Works because the server runs in the test process.
 */
export function moveClockBy(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
}
