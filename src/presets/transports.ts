/** MCP Streamable HTTP modes as data. */
export interface TransportChoice {
  id: string;
  label: string;
  hint: string;
}

export const transports = [
  { id: 'stateless', label: 'Stateless', hint: 'no sessions: each request stands alone; scales horizontally' },
  { id: 'stateful', label: 'Stateful', hint: 'sessions with Mcp-Session-Id, server-to-client streams' },
] as const satisfies readonly TransportChoice[];

export type TransportId = (typeof transports)[number]['id'];
