/** HTTP frameworks as data: the id selects the template layer `framework/<id>`. */
export interface FrameworkChoice {
  id: string;
  label: string;
  hint: string;
}

export const frameworks = [
  { id: 'express', label: 'Express 5', hint: 'the familiar Node.js server; MCP SDK Express adapter' },
  { id: 'hono', label: 'Hono', hint: 'web-standard Request/Response; fewer dependencies' },
] as const satisfies readonly FrameworkChoice[];

export type FrameworkId = (typeof frameworks)[number]['id'];
