/**
 * RESP2, the wire format every Redis (and Valkey, KeyDB, the managed ones) speaks: commands go out as arrays of bulk
 * strings, replies come back as one of five types. Pure functions and one small streaming parser, no I/O, so the
 * client stays testable and a reply split across TCP chunks at any byte is handled.
 * https://redis.io/docs/latest/develop/reference/protocol-spec/
 */
import { Buffer } from 'node:buffer';

/** An error reply (`-ERR …`, `-WRONGPASS …`): Redis answered, and said no. */
export class RespError extends Error {
  override readonly name = 'RespError';
}

/** A decoded reply: simple and bulk strings as UTF-8 text, integers as numbers, nil as null, arrays nested. */
export type RespValue = string | number | null | RespError | RespValue[];

/** Thrown by the parser on bytes that are not RESP2: the connection cannot be trusted any further. */
export class RespProtocolError extends Error {
  override readonly name = 'RespProtocolError';
}

const CRLF = '\r\n';
/** Redis's own limit on one bulk string (proto-max-bulk-len); a larger length is garbage, not a value. */
const MAX_BULK_BYTES = 512 * 1024 * 1024;

/** `SET k v EX 60` → `*5\r\n$3\r\nSET\r\n…`: every argument as a bulk string, so values may hold any byte. */
export function encodeCommand(args: readonly (string | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}${CRLF}`)];
  for (const arg of args) {
    const bytes = Buffer.from(String(arg), 'utf8');
    parts.push(Buffer.from(`$${bytes.length}${CRLF}`), bytes, Buffer.from(CRLF));
  }
  return Buffer.concat(parts);
}

interface Parsed {
  value: RespValue;
  /** Offset of the first byte after this value. */
  end: number;
}

/**
 * Feeds bytes as they arrive and hands back every reply completed so far, in order. Bytes of an unfinished reply are
 * kept until the rest comes (replies are small here: re-reading an unfinished one from its start is cheap).
 */
export class RespParser {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): RespValue[] {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const replies: RespValue[] = [];
    let offset = 0;
    for (let parsed = parseValue(this.pending, offset); parsed; parsed = parseValue(this.pending, offset)) {
      replies.push(parsed.value);
      offset = parsed.end;
    }
    this.pending = this.pending.subarray(offset);
    return replies;
  }

  /** Bytes received that do not yet form a whole reply (0 between replies). */
  get buffered(): number {
    return this.pending.length;
  }
}

/** One value starting at `offset`, or undefined when its bytes have not all arrived. */
function parseValue(buffer: Buffer, offset: number): Parsed | undefined {
  const lineEnd = buffer.indexOf(CRLF, offset);
  if (lineEnd === -1) return undefined;
  const type = String.fromCharCode(buffer[offset] ?? 0);
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: afterLine };
    case '-':
      return { value: new RespError(line), end: afterLine };
    case ':':
      return { value: parseInteger(line), end: afterLine };
    case '$':
      return parseBulkString(buffer, parseInteger(line), afterLine);
    case '*':
      return parseArray(buffer, parseInteger(line), afterLine);
    default:
      throw new RespProtocolError(`unexpected reply type byte 0x${(buffer[offset] ?? 0).toString(16)}`);
  }
}

function parseBulkString(buffer: Buffer, length: number, start: number): Parsed | undefined {
  if (length === -1) return { value: null, end: start };
  if (length < 0 || length > MAX_BULK_BYTES) throw new RespProtocolError(`bulk string length ${length} out of range`);
  // The length, not a CRLF search, delimits the body: a value may itself contain "\r\n".
  const end = start + length;
  if (buffer.length < end + 2) return undefined;
  if (buffer[end] !== 0x0d || buffer[end + 1] !== 0x0a) throw new RespProtocolError('bulk string not followed by CRLF');
  return { value: buffer.toString('utf8', start, end), end: end + 2 };
}

function parseArray(buffer: Buffer, count: number, start: number): Parsed | undefined {
  if (count === -1) return { value: null, end: start };
  if (count < 0) throw new RespProtocolError(`array length ${count} out of range`);
  const items: RespValue[] = [];
  let offset = start;
  for (let i = 0; i < count; i++) {
    const item = parseValue(buffer, offset);
    if (!item) return undefined;
    items.push(item.value);
    offset = item.end;
  }
  return { value: items, end: offset };
}

function parseInteger(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new RespProtocolError(`not an integer: ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text);
}
