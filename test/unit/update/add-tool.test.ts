import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ANSWERS_FILE } from '../../../src/answers/answers-file.js';
import { addTool, type AddToolArgs } from '../../../src/update/add-tool.js';
import { capture, commitAll, createProject, edit, git, read, REAL, removeProjects, runUpdate } from './helpers.js';

afterAll(removeProjects);

async function add(dir: string, args: Partial<AddToolArgs> & { name: string }) {
  const captured = capture(dir, REAL);
  const code = await addTool({ dryRun: false, ...args }, captured.io);
  return { code, out: captured.out.join('\n') };
}

describe('add tool (real templates)', () => {
  test('writes the tool, its test and its registration, and records it for update', async () => {
    const dir = await createProject(REAL);
    const result = await add(dir, { name: 'delete_note', scopes: 'admin', description: 'Deletes a "note" */ `${x}`.' });
    expect(result.code).toBe(0);
    const tool = read(dir, 'src/tools/delete-note.ts');
    expect(tool).toContain('export const deleteNoteTool = defineTool({');
    expect(tool).toContain('name: "delete_note",');
    expect(tool).toContain('scopes: ["admin"],');
    // The description is a TypeScript string literal: quotes, comment ends and template syntax stay inert.
    expect(tool).toContain('description: "Deletes a \\"note\\" */ `${x}`.",');
    expect(read(dir, 'test/tools/delete-note.test.ts')).toContain("import { deleteNoteTool } from \"../../src/tools/delete-note.js\";");
    expect(read(dir, 'src/tools/added.ts')).toContain('export const addedTools: readonly ToolDefinition[] = [deleteNoteTool];');
    expect(read(dir, 'src/tools/index.ts')).toContain('...addedTools');
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.tools).toEqual([{ name: 'delete_note', scopes: ['admin'], description: 'Deletes a "note" */ `${x}`.' }]);
    expect(result.out).toMatch(/added +src\/tools\/delete-note\.ts/);

    // update knows about it: nothing to do, and the tool survives an answers change.
    git(dir, 'add', '-A');
    commitAll(dir, 'add tool');
    expect((await runUpdate(dir, REAL, { check: true })).code).toBe(0);
    edit(dir, 'src/tools/delete-note.ts', (text) => text.replace('inputSchema: z.object({}),', 'inputSchema: z.object({ id: z.number() }),'));
    commitAll(dir, 'implement');
    expect((await runUpdate(dir, REAL, { answers: { scopes: 'read,write,admin' } })).code).toBe(0);
    expect(read(dir, 'src/tools/delete-note.ts')).toContain('inputSchema: z.object({ id: z.number() }),');
    expect(read(dir, 'src/tools/added.ts')).toContain('[deleteNoteTool]');
  });

  test('defaults to the project’s first scope and a TODO description; a second tool is appended', async () => {
    const dir = await createProject(REAL, { git: false });
    expect((await add(dir, { name: 'search.v2' })).code).toBe(0);
    expect((await add(dir, { name: 'Export-CSV' })).code).toBe(0);
    expect(read(dir, 'src/tools/search-v2.ts')).toContain('scopes: ["read"],');
    expect(read(dir, 'src/tools/added.ts')).toContain('[searchV2Tool, exportCSVTool]');
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.tools.map((t: { name: string }) => t.name)).toEqual(['search.v2', 'Export-CSV']);
  });

  test.each([
    ['', /tool name "" must be 1 to 64 characters/],
    ['has space', /must be 1 to 64 characters of A-Z/],
    ['x'.repeat(65), /must be 1 to 64 characters/],
    ['whoami', /a tool named "whoami" already exists/],
    ['list-notes', /too close to the existing tool "list_notes"/],
    ['index', /would replace src\/tools\/index\.ts/],
  ])('refuses the name %j and writes nothing', async (name, message) => {
    const dir = await createProject(REAL, { git: false });
    const before = read(dir, ANSWERS_FILE);
    await expect(add(dir, { name })).rejects.toMatchObject({ message: expect.stringMatching(message) });
    expect(read(dir, ANSWERS_FILE)).toBe(before);
  });

  test('refuses a name already used by a hand-written tool, bad scopes and a multi-line description', async () => {
    const dir = await createProject(REAL, { git: false });
    edit(dir, 'src/tools/notes.ts', (text) => `${text}\nexport const mine = { name: 'my_tool' };\n`);
    await expect(add(dir, { name: 'my_tool' })).rejects.toMatchObject({ code: 'invalid_answer' });
    await expect(add(dir, { name: 'ok', scopes: 'a b' })).rejects.toMatchObject({ code: 'invalid_answer' });
    await expect(add(dir, { name: 'ok', description: 'two\nlines' })).rejects.toMatchObject({ code: 'invalid_answer' });
    expect(existsSync(join(dir, 'src/tools/ok.ts'))).toBe(false);
  });

  test('--dry-run shows the files it would write', async () => {
    const dir = await createProject(REAL, { git: false });
    const captured = capture(dir, REAL);
    expect(await addTool({ name: 'ping', dryRun: true }, captured.io)).toBe(0);
    expect(captured.out.join('\n')).toContain('+++ b/src/tools/ping.ts');
    expect(existsSync(join(dir, 'src/tools/ping.ts'))).toBe(false);
  });
});
