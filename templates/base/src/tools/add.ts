import { z } from 'zod';
import { READ_SCOPE } from '../scopes.js';
import { defineTool, text } from './define-tool.js';

/** The MCP Auth getting-started example: add two numbers, as an authenticated caller. */
export const add = defineTool({
  name: 'add',
  title: 'Add two numbers',
  description: 'Adds two numbers.',
  scopes: [READ_SCOPE],
  inputSchema: z.object({ a: z.number().describe('First addend'), b: z.number().describe('Second addend') }),
  handler: ({ a, b }) => text(String(a + b)),
});
