import { add } from './add.js';
import { addedTools } from './added.js';
import type { ToolDefinition } from './define-tool.js';
import { addNote, listNotes } from './notes.js';
import { whoami } from './whoami.js';

/**
 * Every tool this server offers. Add yours here, or with `npx create-mcp-auth-server add tool <name>` (which
 * lists it in `added.ts`); either way its scopes are advertised automatically.
 */
export const tools: readonly ToolDefinition[] = [whoami, add, listNotes, addNote, ...addedTools];
