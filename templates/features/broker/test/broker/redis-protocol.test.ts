import { describe, expect, it } from 'vitest';
import { encodeCommand, RespError, RespParser, RespProtocolError, type RespValue } from '../../src/broker/redis-protocol.js';
import { parseRedisUrl } from '../../src/broker/redis-url.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** Feeds `wire` split at every possible byte boundary: the replies must not depend on how TCP chunks them. */
function parseInEveryChunking(wire: Buffer): RespValue[][] {
  const results: RespValue[][] = [];
  for (let cut = 0; cut <= wire.length; cut++) {
    const parser = new RespParser();
    results.push([...parser.push(wire.subarray(0, cut)), ...parser.push(wire.subarray(cut))]);
  }
  const oneByteAtATime = new RespParser();
  results.push(Array.from(wire).flatMap((byte) => oneByteAtATime.push(Uint8Array.of(byte))));
  return results;
}

describe('RESP2 encoding', () => {
  it('sends every argument as a length-prefixed bulk string, so values may hold CRLF and non-ASCII text', () => {
    expect(encodeCommand(['SET', 'k', 'a\r\nb', 60]).toString()).toBe('*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n$2\r\n60\r\n');
    // The length counts bytes, not characters: "é" is two bytes, "🔑" four.
    expect(encodeCommand(['é🔑']).toString()).toBe('*1\r\n$6\r\né🔑\r\n');
  });
});

describe('RESP2 parsing', () => {
  it('decodes each reply type', () => {
    const parser = new RespParser();
    const [ok, error, count, bulk, nil, empty] = parser.push(bytes('+OK\r\n-WRONGPASS no\r\n:-42\r\n$5\r\nhello\r\n$-1\r\n$0\r\n\r\n'));
    expect(ok).toBe('OK');
    expect(error).toBeInstanceOf(RespError);
    expect((error as RespError).message).toBe('WRONGPASS no');
    expect(count).toBe(-42);
    expect(bulk).toBe('hello');
    expect(nil).toBeNull();
    expect(empty).toBe('');
    expect(parser.buffered).toBe(0);
  });

  it('delimits a bulk string by its length, not by the CRLF it may contain', () => {
    const wire = bytes('$12\r\n{"a":"\r\n\r\n"}\r\n:1\r\n');
    for (const replies of parseInEveryChunking(wire)) expect(replies).toEqual(['{"a":"\r\n\r\n"}', 1]);
  });

  it('decodes nested arrays, nil arrays and errors inside arrays', () => {
    const wire = bytes('*3\r\n:1\r\n*2\r\n$1\r\na\r\n*0\r\n-ERR inner\r\n*-1\r\n');
    for (const replies of parseInEveryChunking(wire)) {
      expect(replies).toHaveLength(2);
      const [array, nilArray] = replies as [RespValue[], null];
      expect(array[0]).toBe(1);
      expect(array[1]).toEqual(['a', []]);
      expect(array[2]).toBeInstanceOf(RespError);
      expect(nilArray).toBeNull();
    }
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const wire = bytes('$4\r\n🔑\r\n');
    for (const replies of parseInEveryChunking(wire)) expect(replies).toEqual(['🔑']);
  });

  it('returns nothing until a reply is complete, then exactly that reply', () => {
    const parser = new RespParser();
    expect(parser.push(bytes('$5\r\nhel'))).toEqual([]);
    expect(parser.buffered).toBeGreaterThan(0);
    expect(parser.push(bytes('lo\r'))).toEqual([]);
    expect(parser.push(bytes('\n+PONG'))).toEqual(['hello']);
    expect(parser.push(bytes('\r\n'))).toEqual(['PONG']);
  });

  it('refuses bytes that are not RESP2 rather than guessing', () => {
    expect(() => new RespParser().push(bytes('HTTP/1.1 400 Bad Request\r\n'))).toThrow(RespProtocolError);
    expect(() => new RespParser().push(bytes(':12x\r\n'))).toThrow(RespProtocolError);
    expect(() => new RespParser().push(bytes('$-5\r\n'))).toThrow(RespProtocolError);
    expect(() => new RespParser().push(bytes('$999999999999\r\n'))).toThrow(RespProtocolError);
    expect(() => new RespParser().push(bytes('$2\r\nabcd\r\n'))).toThrow(/CRLF/);
  });
});

describe('REDIS_URL', () => {
  it('reads host, port, database, user and password (percent-decoded)', () => {
    expect(parseRedisUrl('redis://alice:p%40ss%3Aword@cache.internal:6380/3')).toEqual({
      tls: false, host: 'cache.internal', port: 6380, username: 'alice', password: 'p@ss:word', db: 3,
      display: 'redis://cache.internal:6380/3',
    });
  });

  it('defaults to port 6379 and database 0; a password alone is requirepass; rediss means TLS; IPv6 unbracketed', () => {
    const target = parseRedisUrl('rediss://:secret@[::1]');
    expect(target).toMatchObject({ tls: true, host: '::1', port: 6379, db: 0, password: 'secret' });
    expect(target.username).toBeUndefined();
    expect(target.display).toBe('rediss://[::1]/0');
  });

  it('never shows the password in what it prints or throws', () => {
    expect(parseRedisUrl('redis://u:hunter2@h/1').display).not.toContain('hunter2');
    for (const bad of ['http://u:hunter2@h', 'redis://u:hunter2@h/x', 'hunter2 not a url', 'redis://u:hunter2@/0']) {
      expect(() => parseRedisUrl(bad)).toThrow(TypeError);
      try {
        parseRedisUrl(bad);
      } catch (error) {
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
  });
});
