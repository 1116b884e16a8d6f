import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileStore } from '../../src/broker/file-store.js';
import { hashKey } from '../../src/broker/store.js';

function clock(start = 1_000_000) {
  let seconds = start;
  return { now: () => seconds, advance: (by: number) => (seconds += by) };
}

async function tempPath() {
  return join(await mkdtemp(join(tmpdir(), 'broker-store-')), 'nested', 'state.json');
}

describe('the file store', () => {
  it('forgets a value at its expiry, not before', async () => {
    const time = clock();
    const store = await createFileStore({ now: time.now });
    await store.set('code:a', { x: 1 }, 60);
    time.advance(59);
    expect(await store.get('code:a')).toEqual({ x: 1 });
    time.advance(1);
    expect(await store.get('code:a')).toBeUndefined();
    expect(await store.take('code:a')).toBeUndefined();
  });

  it('hands a value to exactly one of two concurrent takers', async () => {
    const store = await createFileStore({ now: clock().now });
    await store.set('code:a', 'secret', 60);
    const results = await Promise.all([store.take('code:a'), store.take('code:a'), store.take('code:a')]);
    expect(results.filter((r) => r === 'secret')).toHaveLength(1);
    expect(await store.get('code:a')).toBeUndefined();
  });

  it('adds only when absent (or expired), and reports which caller won', async () => {
    const time = clock();
    const store = await createFileStore({ now: time.now });
    const wins = await Promise.all([store.add('k', 1, 10), store.add('k', 2, 10)]);
    expect(wins).toEqual([true, false]);
    expect(await store.get('k')).toBe(1);
    time.advance(10);
    expect(await store.add('k', 3, 10)).toBe(true);
  });

  it('counts with the expiry set by the first increment', async () => {
    const time = clock();
    const store = await createFileStore({ now: time.now });
    expect(await Promise.all([store.increment('n', 10), store.increment('n', 10)])).toEqual([1, 2]);
    time.advance(5);
    expect(await store.increment('n', 10)).toBe(3);
    time.advance(5); // 10 s after the first increment, not the last
    expect(await store.increment('n', 10)).toBe(1);
  });

  it('never lets a caller change a stored value through its own object', async () => {
    const store = await createFileStore({ now: clock().now });
    const value = { scopes: ['read'] };
    await store.set('grant:g', value, 60);
    value.scopes.push('admin');
    (await store.get<{ scopes: string[] }>('grant:g'))!.scopes.push('admin');
    expect(await store.get('grant:g')).toEqual({ scopes: ['read'] });
  });

  it('refuses a zero, negative or infinite lifetime', async () => {
    const store = await createFileStore({ now: clock().now });
    await expect(store.set('k', 1, 0)).rejects.toThrow(/ttlSeconds/);
    await expect(store.set('k', 1, -5)).rejects.toThrow(/ttlSeconds/);
    await expect(store.set('k', 1, Infinity)).rejects.toThrow(/ttlSeconds/);
  });

  it('keeps its state across a restart, in a 0600 file in a 0700 folder, without temp files left over', async () => {
    const path = await tempPath();
    const time = clock();
    const first = await createFileStore({ path, now: time.now });
    await first.set('grant:g', { subject: 'u1' }, 100);
    await first.set('code:c', 'short', 10);
    await Promise.all([first.set('a', 1, 100), first.set('b', 2, 100), first.delete('a')]);
    await first.close();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    expect((await readdir(join(path, '..'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    time.advance(10);
    const second = await createFileStore({ path, now: time.now });
    expect(await second.get('grant:g')).toEqual({ subject: 'u1' });
    expect(await second.get('b')).toBe(2);
    expect(await second.get('a')).toBeUndefined();
    expect(await second.get('code:c')).toBeUndefined();
  });

  it('sweeps expired entries from the file on load and write', async () => {
    const path = await tempPath();
    const time = clock();
    const store = await createFileStore({ path, now: time.now });
    await store.set('old', 'x', 5);
    time.advance(6);
    await store.set('new', 'y', 5);
    await store.close();
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8')).entries)).toEqual(['new']);
  });

  it('stops on a corrupt file with a clear message and leaves the file as it was', async () => {
    const path = await tempPath();
    const store = await createFileStore({ path, now: clock().now });
    await store.set('k', 1, 10);
    for (const corrupt of ['{"version":1,"entries":', '[]', '{"version":2,"entries":{}}', '{"version":1,"entries":{"k":{"v":1}}}']) {
      await writeFile(path, corrupt);
      await expect(createFileStore({ path, now: clock().now })).rejects.toThrow(/broker state file .* is corrupt/);
      expect(await readFile(path, 'utf8')).toBe(corrupt);
    }
  });

  it('fails a write it cannot make with a clear message, and recovers on the next one', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'broker-store-'));
    const path = join(folder, 'data', 'state.json');
    const store = await createFileStore({ path, now: clock().now });
    await writeFile(join(folder, 'data'), ''); // a file where the folder should be
    await expect(store.set('k', 1, 10)).rejects.toThrow(/broker state file .* cannot be written/);
    await rm(join(folder, 'data'));
    await store.set('other', 2, 10);
    // The next write carries the whole map, the change whose write failed included.
    expect(JSON.parse(await readFile(path, 'utf8')).entries).toMatchObject({ k: { v: 1 }, other: { v: 2 } });
  });

  it('memory only without a path', async () => {
    const store = await createFileStore({ now: clock().now });
    await store.set('k', 1, 10);
    await store.close();
    expect(await store.get('k')).toBe(1);
  });
});

describe('hashKey', () => {
  it('is the SHA-256 of the value in base64url', async () => {
    expect(await hashKey('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});

describe('base64url', () => {
  it('round-trips every byte and refuses padding, + and /, and non-canonical spellings', async () => {
    const { fromBase64Url, toBase64Url } = await import('../../src/broker/store.js');
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 5; n++) expect(toBase64Url(bytes.subarray(0, n))).toBe(Buffer.from(bytes.subarray(0, n)).toString('base64url'));
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    for (const bad of ['AA==', 'A+/A', 'AB', 'A', 'ab c']) expect(fromBase64Url(bad)).toBeUndefined();
    expect(fromBase64Url('AA')).toEqual(new Uint8Array([0]));
  });
});
