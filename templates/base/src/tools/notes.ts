import { z } from 'zod';
import { READ_SCOPE, WRITE_SCOPE } from '../scopes.js';
import { defineTool, text } from './define-tool.js';

/** Notes kept in memory per subject: each user sees only their own. Replace with your storage. */
const notesBySubject = new Map<string, string[]>();
const MAX_NOTES_PER_SUBJECT = 100;

export const addNote = defineTool({
  name: 'add_note',
  title: 'Add a note',
  description: 'Saves a short note for the signed-in user. Needs the write scope.',
  scopes: [WRITE_SCOPE],
  inputSchema: z.object({ text: z.string().min(1).max(1000).describe('The note') }),
  handler: ({ text: note }, caller) => {
    const notes = notesBySubject.get(caller.subject) ?? [];
    if (notes.length >= MAX_NOTES_PER_SUBJECT) notes.shift();
    notes.push(note);
    notesBySubject.set(caller.subject, notes);
    return text(`Saved. You have ${notes.length} note(s).`);
  },
});

export const listNotes = defineTool({
  name: 'list_notes',
  title: 'List notes',
  description: "Lists the signed-in user's notes.",
  scopes: [READ_SCOPE],
  inputSchema: z.object({}),
  handler: (_input, caller) => {
    const notes = notesBySubject.get(caller.subject) ?? [];
    return text(notes.length ? notes.map((note, index) => `${index + 1}. ${note}`).join('\n') : 'No notes yet.');
  },
});
