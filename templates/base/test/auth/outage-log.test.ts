import { describe, expect, it } from 'vitest';
import { logOutagesQuietly } from '../../src/auth/index.js';

describe('logOutagesQuietly', () => {
  it('logs the first failure, then at most one per interval with how many it left out', () => {
    const lines: unknown[] = [];
    let time = 0;
    const log = logOutagesQuietly((error) => lines.push(error), 10_000, () => time);
    const down = Object.assign(new Error('the store is unreachable'), { name: 'StoreUnavailableError' });
    for (let request = 0; request < 500; request++, time += 10) log(down); // 5 s of refused requests
    expect(lines).toEqual([down]);
    time = 10_000;
    log(down);
    expect(lines).toHaveLength(2);
    const second = lines[1] as Error;
    expect(second.name).toBe('StoreUnavailableError');
    expect(second.message).toBe('the store is unreachable (499 more since the last line)');
    expect(second.cause).toBe(down);
  });

  it('logs the next outage at once when the last line is older than the interval, with no count', () => {
    const lines: unknown[] = [];
    let time = 0;
    const log = logOutagesQuietly((error) => lines.push(error), 10_000, () => time);
    log('first');
    time = 60_000;
    log('second');
    expect(lines).toEqual(['first', 'second']);
  });
});
