/** MCP Streamable HTTP modes as data. */
import type { StackChoice } from './stack-choice.js';

export const transports = [
  { id: 'stateless', label: 'Stateless', hint: 'no sessions: each request stands alone; scales horizontally' },
  { id: 'stateful', label: 'Stateful', hint: 'sessions with Mcp-Session-Id, server-to-client streams' },
] as const satisfies readonly StackChoice[];

export type TransportId = (typeof transports)[number]['id'];
