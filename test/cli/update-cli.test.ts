/**
 * `update` and `add tool` through the BUILT CLI (dist/cli.js): the dispatch, the printed help, and the process exit
 * codes 0 / 1 / 2 / 3. The cli test project builds dist/ before it runs (test/build-cli.ts).
 */
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, expect, test } from 'vitest';
import { commitAll, createProject, edit, read, removeProjects, V1, V2 } from '../unit/update/helpers.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
afterAll(removeProjects);

const cli = (cwd: string, templates: string, args: string[]) =>
  execa('node', [CLI, ...args], { cwd, reject: false, env: { CREATE_MCP_AUTH_SERVER_TEMPLATES: templates }, stdin: 'ignore' });

test('exit codes: 0 current, 2 update available, 3 conflicts, 1 refusal', async () => {
  const dir = await createProject(V1);
  expect((await cli(dir, V1, ['update', '--check'])).exitCode).toBe(0);
  expect((await cli(dir, V2, ['update', '--check'])).exitCode).toBe(2);
  edit(dir, 'src/tools/hello.ts', (text) => text.replace("export const title = 'Hello';", "export const title = 'Mine';"));
  commitAll(dir);
  const conflicted = await cli(dir, V2, ['update']);
  expect(conflicted.exitCode).toBe(3);
  expect(conflicted.stdout).toMatch(/CONFLICT +src\/tools\/hello\.ts/);
  expect(conflicted.stderr).toContain('1 file(s) have conflicts:\n  src/tools/hello.ts');
  const refused = await cli(dir, V2, ['update']);
  expect(refused.exitCode).toBe(1);
  expect(refused.stderr).toMatch(/^error: unresolved conflicts in src\/tools\/hello\.ts/);
  expect(read(dir, 'src/tools/hello.ts')).toContain('<<<<<<< your version');
});

test('update --help and add --help print their own help; unknown flags are errors', async () => {
  const dir = await createProject(V1, { git: false });
  expect((await cli(dir, V1, ['update', '--help'])).stdout).toContain('Exit codes: 0 updated');
  expect((await cli(dir, V1, ['add', '--help'])).stdout).toContain('add tool <name>');
  const unknown = await cli(dir, V1, ['update', '--scope', 'x']);
  expect([unknown.exitCode, unknown.stderr]).toEqual([1, 'error: unknown flag --scope; did you mean --scopes?']);
  const notAProject = await cli(`${dir}/..`, V1, ['update']);
  expect(notAProject.exitCode).toBe(1);
  expect(notAProject.stderr).toContain('to create a project in a folder named update or add, write ./update or ./add');
});
