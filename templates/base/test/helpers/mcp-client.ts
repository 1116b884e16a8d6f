/**
 * A deliberately raw MCP client (plain fetch, 2025-11-25 protocol) so tests see exact HTTP statuses and headers.
 * It opens a session when the server is stateful and works unchanged when it is stateless.
 */
export const PROTOCOL_VERSION = '2025-11-25';

export interface RawMcpSession {
  /** POSTs one JSON-RPC request and returns the raw HTTP response. */
  request(method: string, params?: Record<string, unknown>, headers?: Record<string, string>): Promise<Response>;
  sessionId: string | undefined;
}

let nextId = 1;

export function post(mcpUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

export function initializeBody() {
  return {
    jsonrpc: '2.0',
    id: nextId++,
    method: 'initialize',
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw-test-client', version: '1.0.0' } },
  };
}

export async function openSession(mcpUrl: string, token: string): Promise<RawMcpSession> {
  const auth = { Authorization: `Bearer ${token}` };
  const init = await post(mcpUrl, initializeBody(), auth);
  if (init.status !== 200) throw new Error(`initialize answered ${init.status}: ${await init.text()}`);
  await init.body?.cancel();
  const sessionId = init.headers.get('mcp-session-id') ?? undefined;
  const sessionHeaders = { ...auth, 'MCP-Protocol-Version': PROTOCOL_VERSION, ...(sessionId ? { 'Mcp-Session-Id': sessionId } : {}) };
  await (await post(mcpUrl, { jsonrpc: '2.0', method: 'notifications/initialized' }, sessionHeaders)).body?.cancel();
  return {
    sessionId,
    request: (method, params = {}, headers = {}) => post(mcpUrl, { jsonrpc: '2.0', id: nextId++, method, params }, { ...sessionHeaders, ...headers }),
  };
}

/** Reads a JSON-RPC result from a JSON or SSE answer. */
export async function readResult(response: Response): Promise<{ result?: Record<string, unknown>; error?: { code: number; message: string } }> {
  const text = await response.text();
  if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const data = text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).at(-1);
    return JSON.parse(data ?? '{}');
  }
  return JSON.parse(text);
}
