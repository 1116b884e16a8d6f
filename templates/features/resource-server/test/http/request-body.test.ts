import { request, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES } from '../../src/mcp/handler.js';
import { createAttackTable } from '../helpers/attack-table.js';
import { initializeBody } from '../helpers/mcp-client.js';
import { startServerWithTestIssuer, type TestServer } from '../helpers/mcp-server.js';
import type { TestIssuer } from '../helpers/test-issuer.js';

/**
 * Request bodies are read only after the bearer gate, and never beyond MAX_REQUEST_BODY_BYTES. The proof that a body
 * was not read is timing, not a status: the upload is streamed slowly and the server must answer while most of it
 * has not even been sent. A server that read (or parsed) the body first could not answer before the body ended.
 */
let issuer: TestIssuer;
let server: TestServer;
let close: () => Promise<void>;
const table = createAttackTable('request bodies');

beforeAll(async () => {
  ({ issuer, server, close } = await startServerWithTestIssuer());
});
afterAll(async () => {
  await close?.();
  table.flush();
});

const FIVE_MB = 5 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
/** Between chunks: a server that answers at once does so long before the next chunk. */
const PAUSE_MS = 25;

/** A JSON-RPC initialize request padded to exactly `size` bytes (the padding sits in `params._meta`). */
function paddedInitialize(size: number): Buffer {
  const message = initializeBody();
  const empty = JSON.stringify({ ...message, params: { ...message.params, _meta: { padding: '' } } });
  if (size < empty.length) throw new Error(`a padded initialize request needs at least ${empty.length} bytes`);
  return Buffer.from(JSON.stringify({ ...message, params: { ...message.params, _meta: { padding: 'a'.repeat(size - empty.length) } } }));
}

interface UploadOutcome {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Body bytes handed to the socket when the response arrived: at most what the server could have read. */
  bytesSentWhenAnswered: number;
  bodyBytes: number;
}

/**
 * POSTs `body` to the MCP endpoint a chunk at a time (chunked transfer encoding, or a declared Content-Length) and
 * stops sending as soon as the response arrives.
 */
function slowUpload(body: Buffer, headers: Record<string, string>, options: { declareLength?: boolean } = {}): Promise<UploadOutcome> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const upload = request(server.mcpUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        ...(options.declareLength ? { 'Content-Length': String(body.length) } : {}),
        ...headers,
      },
    });
    upload.on('response', (response) => {
      answered = true;
      const bytesSentWhenAnswered = bytesSent;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text, bytesSentWhenAnswered, bodyBytes: body.length });
        upload.destroy();
      });
    });
    // Once it has answered, the server may close the connection on the rest of the upload: that is not a failure.
    upload.on('error', (error) => void (answered || reject(error)));
    upload.flushHeaders();
    void (async () => {
      while (!answered && bytesSent < body.length) {
        const chunk = body.subarray(bytesSent, bytesSent + CHUNK_BYTES);
        bytesSent += chunk.length;
        upload.write(chunk);
        await sleep(PAUSE_MS);
      }
      if (!answered) upload.end();
    })();
  });
}

const describeUpload = (outcome: UploadOutcome) => `${outcome.status} after ${outcome.bytesSentWhenAnswered} of ${outcome.bodyBytes} body bytes sent`;

describe('a request without a valid token', () => {
  it.each([
    ['chunked', false],
    ['with Content-Length', true],
  ])('is refused with 401 before its oversized body is read (5 MB, %s)', async (encoding, declareLength) => {
    const outcome = await slowUpload(paddedInitialize(FIVE_MB), {}, { declareLength });
    table.add({ name: `oversized unauthenticated body (5 MB, ${encoding})`, expected: '401 before the body is read', got: describeUpload(outcome) });
    // 401, not 413: the bearer gate ran before anything looked at the body, not even its declared length.
    expect(outcome.status).toBe(401);
    expect(outcome.headers['www-authenticate']).toMatch(/^Bearer /);
    // Answered before even the size limit's worth had been sent: nothing waited for the body, so nothing parsed it.
    expect(outcome.bytesSentWhenAnswered).toBeLessThan(MAX_REQUEST_BODY_BYTES);
  });

  it('with a forged token is refused the same way', async () => {
    const outcome = await slowUpload(paddedInitialize(FIVE_MB), { Authorization: 'Bearer not-a-jwt' });
    table.add({ name: 'oversized body with an invalid token (5 MB, chunked)', expected: '401 invalid_token before the body is read', got: describeUpload(outcome) });
    expect(outcome.status).toBe(401);
    expect(outcome.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(outcome.bytesSentWhenAnswered).toBeLessThan(MAX_REQUEST_BODY_BYTES);
  });
});

describe('an authenticated request', () => {
  const expectPayloadTooLarge = (outcome: { status: number; headers: IncomingHttpHeaders; body: string }) => {
    expect(outcome.status).toBe(413);
    expect(outcome.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(outcome.body)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32000, message: `Payload Too Large: Request body must not exceed ${MAX_REQUEST_BODY_BYTES} bytes` },
      id: null,
    });
  };

  it('with an oversized body gets 413 once the limit is passed, not after reading the whole body (chunked)', async () => {
    const outcome = await slowUpload(paddedInitialize(FIVE_MB), { Authorization: `Bearer ${await issuer.mint()}` });
    table.add({ name: 'oversized authenticated body (5 MB, chunked)', expected: `413 JSON-RPC error once ${MAX_REQUEST_BODY_BYTES} bytes are passed`, got: describeUpload(outcome) });
    expectPayloadTooLarge(outcome);
    expect(outcome.bytesSentWhenAnswered).toBeGreaterThan(MAX_REQUEST_BODY_BYTES);
    // A few chunks of slack for the pauses; a server reading to the end (or to a larger limit) answers far later.
    expect(outcome.bytesSentWhenAnswered).toBeLessThan(MAX_REQUEST_BODY_BYTES + 8 * CHUNK_BYTES);
  });

  it('declaring an oversized Content-Length gets 413 before its body is read', async () => {
    const outcome = await slowUpload(paddedInitialize(FIVE_MB), { Authorization: `Bearer ${await issuer.mint()}` }, { declareLength: true });
    table.add({ name: 'oversized authenticated body (5 MB, Content-Length)', expected: '413 JSON-RPC error before the body is read', got: describeUpload(outcome) });
    expectPayloadTooLarge(outcome);
    expect(outcome.bytesSentWhenAnswered).toBeLessThan(MAX_REQUEST_BODY_BYTES);
  });

  it('is served with a body of exactly the limit, and refused one byte over it', async () => {
    const send = async (size: number) => {
      const response = await fetch(server.mcpUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Authorization: `Bearer ${await issuer.mint()}` },
        body: paddedInitialize(size),
      });
      return { status: response.status, headers: Object.fromEntries(response.headers) as IncomingHttpHeaders, body: await response.text() };
    };
    expect((await send(MAX_REQUEST_BODY_BYTES)).status).toBe(200);
    expectPayloadTooLarge(await send(MAX_REQUEST_BODY_BYTES + 1));
  });
});
