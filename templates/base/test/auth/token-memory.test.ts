import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenMemory } from '../../src/auth/token-memory.js';

/** A token memory on a hand-moved clock (the verified-token cache and the introspection refusals both use one). */
function setup(maxEntries = 3) {
  const clock = { now: 1_000_000 };
  const memory = createTokenMemory<string>({ maxEntries, now: () => clock.now });
  return { memory, clock };
}

/** A promise settled from outside, so a test decides when a verification ends. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('token memory keys', () => {
  it('keys a token by its SHA-256 (base64url), never by the token itself', () => {
    const { memory } = setup();
    const token = 'eyJhbGciOiJFUzI1NiJ9.secret-payload.signature';
    const key = memory.keyOf(token);
    expect(key).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(key).not.toContain('secret-payload');
    expect(memory.keyOf(token)).toBe(key);
    expect(memory.keyOf(`${token}x`)).not.toBe(key);
  });
});

describe('the bounded LRU', () => {
  it('evicts the least recently set entry beyond maxEntries', () => {
    const { memory, clock } = setup(2);
    const until = clock.now + 60_000;
    memory.set('a', 'A', until);
    memory.set('b', 'B', until);
    memory.set('c', 'C', until);
    expect(memory.size).toBe(2);
    expect(memory.get('a')).toBeUndefined();
    expect(memory.get('b')).toBe('B');
    expect(memory.get('c')).toBe('C');
  });

  it('counts a read as a use: the entry read last survives the next eviction', () => {
    const { memory, clock } = setup(2);
    const until = clock.now + 60_000;
    memory.set('a', 'A', until);
    memory.set('b', 'B', until);
    expect(memory.get('a')).toBe('A'); // now b is the least recently used
    memory.set('c', 'C', until);
    expect(memory.get('b')).toBeUndefined();
    expect(memory.get('a')).toBe('A');
    expect(memory.get('c')).toBe('C');
  });

  it('replaces the value of a key set again, as its most recent use, without growing', () => {
    const { memory, clock } = setup(2);
    const until = clock.now + 60_000;
    memory.set('a', 'A', until);
    memory.set('b', 'B', until);
    memory.set('a', 'A2', until); // now b is the least recently used
    expect(memory.size).toBe(2);
    memory.set('c', 'C', until);
    expect(memory.get('b')).toBeUndefined();
    expect(memory.get('a')).toBe('A2');
  });

  it('keeps nothing with maxEntries 0', () => {
    const { memory, clock } = setup(0);
    memory.set('a', 'A', clock.now + 60_000);
    expect(memory.size).toBe(0);
    expect(memory.get('a')).toBeUndefined();
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses maxEntries %s when created', (maxEntries) => {
    expect(() => createTokenMemory({ maxEntries, now: () => 0 })).toThrow(/maxEntries must be a non-negative integer/);
  });

  it('clear() forgets every entry', () => {
    const { memory, clock } = setup();
    memory.set('a', 'A', clock.now + 60_000);
    memory.set('b', 'B', clock.now + 60_000);
    memory.clear();
    expect(memory.size).toBe(0);
    expect(memory.get('a')).toBeUndefined();
  });
});

describe('expiry', () => {
  it('serves an entry until just before its deadline and forgets it at the deadline', () => {
    const { memory, clock } = setup();
    memory.set('a', 'A', clock.now + 1_000);
    clock.now += 999;
    expect(memory.get('a')).toBe('A');
    clock.now += 1;
    expect(memory.get('a')).toBeUndefined();
    expect(memory.size).toBe(0); // forgotten, not just hidden
  });

  it('forgets an entry its caller no longer deems fresh, before the deadline', () => {
    const { memory, clock } = setup();
    memory.set('a', 'A', clock.now + 60_000);
    expect(memory.get('a', (value) => value === 'A')).toBe('A');
    expect(memory.get('a', () => false)).toBeUndefined();
    expect(memory.size).toBe(0);
    expect(memory.get('a')).toBeUndefined();
  });

  it('never serves an entry set with a deadline already passed', () => {
    const { memory, clock } = setup();
    memory.set('a', 'A', clock.now);
    expect(memory.get('a')).toBeUndefined();
  });
});

describe('single-flight', () => {
  it('gives concurrent callers for one key the one running verification', async () => {
    const { memory } = setup();
    const gate = deferred<string>();
    let runs = 0;
    const verify = () => (runs++, gate.promise);
    const first = memory.once('k', verify);
    const second = memory.once('k', verify);
    expect(second).toBe(first);
    gate.resolve('verified');
    await expect(Promise.all([first, second])).resolves.toEqual(['verified', 'verified']);
    expect(runs).toBe(1);
  });

  it('runs verifications of different keys separately', async () => {
    const { memory } = setup();
    const runs: string[] = [];
    const results = await Promise.all([
      memory.once('k1', async () => (runs.push('k1'), 'one')),
      memory.once('k2', async () => (runs.push('k2'), 'two')),
    ]);
    expect(results).toEqual(['one', 'two']);
    expect(runs).toEqual(['k1', 'k2']);
  });

  it('shares a failure with the callers waiting on it, then forgets it: the next call verifies again', async () => {
    const { memory } = setup();
    const gate = deferred<string>();
    let runs = 0;
    const first = memory.once('k', () => (runs++, gate.promise));
    const second = memory.once('k', () => (runs++, gate.promise));
    gate.reject(new Error('provider down'));
    await expect(first).rejects.toThrow('provider down');
    await expect(second).rejects.toThrow('provider down');
    await expect(memory.once('k', async () => (runs++, 'recovered'))).resolves.toBe('recovered');
    expect(runs).toBe(2);
    expect(memory.size).toBe(0); // once() remembers nothing: only set() does
  });

  it('forgets a finished verification: a later call runs a new one', async () => {
    const { memory } = setup();
    let runs = 0;
    await memory.once('k', async () => ++runs);
    await expect(memory.once('k', async () => ++runs)).resolves.toBe(2);
  });
});
