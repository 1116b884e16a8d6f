import type { AuthInfo, CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import type { z } from 'zod';

/**
 * One MCP tool: its schema, the OAuth scopes it needs, and its handler. The scopes are enforced by the SDK before
 * the handler runs (HTTP 403 `insufficient_scope`), so a handler never has to check them itself.
 */
export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** Every scope the caller's token must carry. At least one. */
  scopes: readonly [string, ...string[]];
  inputSchema: Input;
  /**
   * Set when the handler sends messages before its result without being asked for progress: log messages, or
   * requests to the client (elicitation, sampling) on 2025-era connections. Such a call is then answered as an SSE
   * stream; other calls get plain JSON unless they carry a progress token. 2026-07-28 calls switch on their own.
   */
  streams?: boolean;
  // Method syntax on purpose: it lets tools with different inputs share one `ToolDefinition[]`.
  handler(input: z.infer<Input>, caller: Caller, ctx: ServerContext): Promise<CallToolResult> | CallToolResult;
}

/** Who is calling: taken from the verified access token. */
export interface Caller {
  /** The token's `sub`: the user (or, for client-credentials tokens, the client). */
  subject: string;
  clientId: string;
  scopes: readonly string[];
  /** The raw token's details. Never forward `auth.token` to another API: get a token for that API instead. */
  auth: AuthInfo;
}

/** Keeps the input type of each tool precise while the tool list stays one array. */
export function defineTool<Input extends z.ZodObject>(tool: ToolDefinition<Input>): ToolDefinition<Input> {
  return tool;
}

/** A text result, the shape most tools return. */
export function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}
