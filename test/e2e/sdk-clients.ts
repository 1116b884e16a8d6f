import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The two MCP SDK client generations, loaded from the e2e's own install of `clients/package.json` (not a generated
 * project's copy): `@modelcontextprotocol/sdk` 1.x and `@modelcontextprotocol/client` v2, behind the surface the
 * e2e tests use.
 */
export interface AnyClient {
  connect(transport: unknown): Promise<void>;
  callTool(request: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  listTools(): Promise<{ tools: { name: string }[] }>;
  close(): Promise<void>;
}

export interface ClientModules {
  Client: new (info: { name: string; version: string }, options?: Record<string, unknown>) => AnyClient;
  StreamableHTTPClientTransport: new (url: URL, options: { authProvider: object }) => { finishAuth(callback: string | URLSearchParams): Promise<void>; protocolVersion?: string };
  UnauthorizedError: new (...args: never[]) => Error;
  /** What `finishAuth` takes: v1 the code; v2 the whole callback query, so it can check `iss` (RFC 9207). */
  callbackArgument(params: URLSearchParams): string | URLSearchParams;
}

const load = async (clientsDir: string, file: string) => (await import(pathToFileURL(join(clientsDir, 'node_modules', file)).href)) as Record<string, unknown>;

export async function v1Client(clientsDir: string): Promise<ClientModules> {
  const [client, transport, auth] = await Promise.all([
    load(clientsDir, '@modelcontextprotocol/sdk/dist/esm/client/index.js'),
    load(clientsDir, '@modelcontextprotocol/sdk/dist/esm/client/streamableHttp.js'),
    load(clientsDir, '@modelcontextprotocol/sdk/dist/esm/client/auth.js'),
  ]);
  return {
    Client: client['Client'],
    StreamableHTTPClientTransport: transport['StreamableHTTPClientTransport'],
    UnauthorizedError: auth['UnauthorizedError'],
    callbackArgument: (params) => params.get('code') ?? '',
  } as ClientModules;
}

export async function v2Client(clientsDir: string): Promise<ClientModules> {
  const sdk = await load(clientsDir, '@modelcontextprotocol/client/dist/index.mjs');
  return { ...sdk, callbackArgument: (params) => params } as ClientModules;
}

/** An OAuth client provider that also hands back the redirect URI's query its last authorization reached. */
export interface CallbackProvider {
  takeCallbackParams(): URLSearchParams;
}

/**
 * What a host does: connect → 401 → discovery, registration, authorization (through `provider`) → `finishAuth` →
 * connect a new client on a new transport (a started transport cannot be restarted). Resolves the connected client;
 * the first connection must have been refused as unauthorized.
 */
export async function connectThroughOAuth(sdk: ClientModules, mcpUrl: string, provider: CallbackProvider, clientName: string, options: Record<string, unknown> = {}) {
  const url = new URL(mcpUrl);
  const info = { name: clientName, version: '1.0.0' };
  const first = new sdk.Client(info, options);
  const firstTransport = new sdk.StreamableHTTPClientTransport(url, { authProvider: provider });
  const refusal = await first.connect(firstTransport).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(refusal instanceof sdk.UnauthorizedError)) throw new Error(`expected the first connection to need authorization, got ${String(refusal)}`);
  await firstTransport.finishAuth(sdk.callbackArgument(provider.takeCallbackParams()));
  await first.close().catch(() => undefined);

  const client = new sdk.Client(info, options);
  const transport = new sdk.StreamableHTTPClientTransport(url, { authProvider: provider });
  await client.connect(transport);
  const protocol = (client as { getNegotiatedProtocolVersion?(): string | undefined }).getNegotiatedProtocolVersion?.() ?? transport.protocolVersion ?? 'unknown';
  return { client, protocol };
}
