import { add } from './add.js';
import type { ToolDefinition } from './define-tool.js';
import { addNote, listNotes } from './notes.js';
import { whoami } from './whoami.js';

/** Every tool this server offers. Add yours here; its scopes are advertised automatically. */
export const tools: readonly ToolDefinition[] = [whoami, add, listNotes, addNote];
