/** HTTP frameworks as data: the id selects the template layer `framework/<id>`. */
import type { StackChoice } from './stack-choice.js';

export const frameworks = [
  { id: 'express', label: 'Express 5', hint: 'the familiar Node.js server; MCP SDK Express adapter' },
  { id: 'hono', label: 'Hono', hint: 'web-standard Request/Response; fewer dependencies' },
] as const satisfies readonly StackChoice[];

export type FrameworkId = (typeof frameworks)[number]['id'];
