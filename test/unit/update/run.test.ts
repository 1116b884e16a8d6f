/**
 * The copier-style matrix: a project created from fixture templates v1, edited by "the user", committed, then
 * updated to v2 (or to new answers). Each test states one case and its outcome.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ANSWERS_FILE } from '../../../src/answers/answers-file.js';
import { EXIT_CONFLICTS, EXIT_UPDATE_AVAILABLE } from '../../../src/update/run.js';
import { BASE_FILE } from '../../../src/update/pristine-base.js';
import { commitAll, createProject, edit, git, read, removeProjects, runUpdate, V1, V2, write } from './helpers.js';

afterAll(removeProjects);

describe('update v1 → v2', () => {
  test('merges edits on both sides cleanly: user lines, template changes, package.json by key, added and dropped files', async () => {
    const dir = await createProject(V1);
    edit(dir, 'src/tools/hello.ts', (text) => text.replace('return `hello ${who}`;', 'return `hello, dear ${who}`;'));
    edit(dir, 'README.md', (text) => text.replace('An MCP server.', 'An MCP server for our notes.'));
    edit(dir, 'package.json', (text) => {
      const pkg = JSON.parse(text);
      pkg.dependencies.pg = '^8.0.0';
      pkg.scripts.lint = 'eslint .';
      return `${JSON.stringify(pkg, null, 2)}\n`;
    });
    commitAll(dir);

    const result = await runUpdate(dir, V2);
    expect(result.code).toBe(0);
    expect(read(dir, 'src/tools/hello.ts')).toContain("export const title = 'Hello, world';");
    expect(read(dir, 'src/tools/hello.ts')).toContain('return `hello, dear ${who}`;');
    expect(read(dir, 'README.md')).toContain('An MCP server for our notes.');
    expect(read(dir, 'README.md')).toContain('## Updating');
    expect(JSON.parse(read(dir, 'package.json'))).toEqual({
      name: 'app',
      private: true,
      scripts: { dev: 'tsx src/main.ts', test: 'vitest run', lint: 'eslint .', build: 'tsc' },
      dependencies: { jose: '^6.1.0', zod: '^4.0.0', pg: '^8.0.0', hono: '^4.0.0' },
    });
    expect(read(dir, 'src/new.ts')).toContain('new in v2');
    expect(existsSync(join(dir, 'src/old.ts'))).toBe(false);
    expect(read(dir, 'src/auth/core.ts')).toContain('a security fix');
    expect(result.out).toMatch(/merged +src\/tools\/hello\.ts/);
    expect(result.out).toMatch(/added +src\/new\.ts/);
    expect(result.out).toMatch(/deleted +src\/old\.ts/);
    expect(result.out).toMatch(/updated +src\/auth\/core\.ts/);
    expect(result.out).toContain('package.json changed: run `npm install`.');
    expect(read(dir, BASE_FILE)).toContain('a security fix');

    // Repeated: the same update again finds nothing to do.
    commitAll(dir, 'update');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'new files');
    const again = await runUpdate(dir, V2);
    expect([again.code, again.out]).toEqual([0, expect.stringContaining('up to date')]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  test('conflicting edits: labelled markers, exit 3, listed, unmerged in git; refused until resolved; no nested markers', async () => {
    const dir = await createProject(V1);
    edit(dir, 'src/tools/hello.ts', (text) => text.replace("export const title = 'Hello';", "export const title = 'Hi there';"));
    commitAll(dir);

    const result = await runUpdate(dir, V2);
    expect(result.code).toBe(EXIT_CONFLICTS);
    expect(read(dir, 'src/tools/hello.ts')).toContain(
      "<<<<<<< your version\nexport const title = 'Hi there';\n||||||| previous generator version\nexport const title = 'Hello';\n=======\nexport const title = 'Hello, world';\n>>>>>>> generator update\n",
    );
    expect(result.out).toMatch(/CONFLICT +src\/tools\/hello\.ts \(1 conflict\)/);
    expect(result.err).toContain('1 file(s) have conflicts:\n  src/tools/hello.ts');
    expect(git(dir, 'status', '--porcelain')).toMatch(/^UU src\/tools\/hello\.ts$/m);
    expect(git(dir, 'ls-files', '--stage', 'src/tools/hello.ts').trim().split('\n').map((line) => line.split(/\s/)[2])).toEqual(['1', '2', '3']);
    // The update completed: the record moved on, so the next update does not merge the same change again.
    expect(read(dir, BASE_FILE)).toContain('Hello, world');

    await expect(runUpdate(dir, V2)).rejects.toMatchObject({ code: 'unresolved_conflicts' });

    // Resolved by hand but not yet `git add`ed: git still says unmerged.
    edit(dir, 'src/tools/hello.ts', (text) => text.replace(/<<<<<<< your version\n(.*\n)\|\|\|\|\|\|\| [^]*?>>>>>>> generator update\n/, '$1'));
    await expect(runUpdate(dir, V2)).rejects.toMatchObject({ code: 'unresolved_conflicts' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'update to v2');
    const again = await runUpdate(dir, V2);
    expect(again.code).toBe(0);
    expect(read(dir, 'src/tools/hello.ts')).not.toContain('<<<<<<<');
    expect(read(dir, 'src/tools/hello.ts')).toContain("export const title = 'Hi there';");
  });

  test('package.json: a key both sides changed differently is the only conflict; everything else merges by key', async () => {
    const dir = await createProject(V1);
    edit(dir, 'package.json', (text) => text.replace('"jose": "^6.0.0"', '"jose": "^6.0.9"').replace('"test": "vitest run"', '"test": "vitest run --coverage"'));
    commitAll(dir);
    const result = await runUpdate(dir, V2);
    expect(result.code).toBe(EXIT_CONFLICTS);
    const text = read(dir, 'package.json');
    expect(text).toContain('<<<<<<< your version\n    "jose": "^6.0.9",\n||||||| previous generator version\n    "jose": "^6.0.0",\n=======\n    "jose": "^6.1.0",\n>>>>>>> generator update\n');
    expect(text).toContain('"test": "vitest run --coverage"');
    expect(text).toContain('"build": "tsc"');
    expect(text).toContain('"hono": "^4.0.0"');
    expect(result.out).toMatch(/CONFLICT +package\.json \(1 conflict\)/);
  });

  test('refuses a file that still holds conflict markers, even outside git', async () => {
    const dir = await createProject(V1, { git: false });
    edit(dir, 'src/tools/hello.ts', (text) => text.replace("export const title = 'Hello';", "export const title = 'Hi';"));
    expect((await runUpdate(dir, V2)).code).toBe(EXIT_CONFLICTS);
    const before = read(dir, 'src/tools/hello.ts');
    await expect(runUpdate(dir, V2)).rejects.toMatchObject({ code: 'unresolved_conflicts', message: expect.stringContaining('src/tools/hello.ts') });
    expect(read(dir, 'src/tools/hello.ts')).toBe(before);
  });

  test('a file the user deleted stays deleted, even though the template changed it', async () => {
    const dir = await createProject(V1);
    git(dir, 'rm', '-q', 'src/guide.ts');
    commitAll(dir, 'no guide');
    const result = await runUpdate(dir, V2);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'src/guide.ts'))).toBe(false);
    expect(result.out).toMatch(/kept deleted +src\/guide\.ts \(you deleted it; the generator still has it\)/);
  });

  test('a file the template dropped is deleted only if the user never touched it', async () => {
    const dir = await createProject(V1);
    edit(dir, 'src/legacy.ts', (text) => `${text}export const mine = true;\n`);
    commitAll(dir);
    const result = await runUpdate(dir, V2);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'src/old.ts'))).toBe(false);
    expect(read(dir, 'src/legacy.ts')).toContain('export const mine = true;');
    expect(result.out).toMatch(/kept +src\/legacy\.ts \(the generator dropped it, but you changed it\)/);
  });

  test('refuses a dirty working tree and writes nothing', async () => {
    const dir = await createProject(V1);
    edit(dir, 'README.md', (text) => `${text}\nuncommitted\n`);
    const answers = read(dir, ANSWERS_FILE);
    await expect(runUpdate(dir, V2)).rejects.toMatchObject({ code: 'dirty_tree', message: expect.stringContaining('README.md') });
    write(dir, 'notes.txt', 'untracked');
    edit(dir, 'README.md', (text) => text.replace('\nuncommitted\n', ''));
    await expect(runUpdate(dir, V2)).rejects.toMatchObject({ code: 'dirty_tree', message: expect.stringContaining('notes.txt') });
    expect(read(dir, ANSWERS_FILE)).toBe(answers);
    expect(existsSync(join(dir, 'src/new.ts'))).toBe(false);
  });

  test('--check exits 2 when an update is available and 0 when current, writing nothing', async () => {
    const dir = await createProject(V1);
    expect((await runUpdate(dir, V1, { check: true })).code).toBe(0);
    const available = await runUpdate(dir, V2, { check: true });
    expect(available.code).toBe(EXIT_UPDATE_AVAILABLE);
    expect(available.out).toMatch(/updated +src\/auth\/core\.ts/);
    expect((await runUpdate(dir, V1, { check: true, answers: { scopes: 'read,write,admin' } })).code).toBe(EXIT_UPDATE_AVAILABLE);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  test('a formatter rewrapping the answers file and the base is not an update', async () => {
    const dir = await createProject(V1);
    edit(dir, ANSWERS_FILE, (text) => `${JSON.stringify(JSON.parse(text), null, 4)}\n`);
    edit(dir, BASE_FILE, (text) => JSON.stringify(JSON.parse(text)));
    commitAll(dir, 'prettier');
    expect((await runUpdate(dir, V1, { check: true })).code).toBe(0);
    expect((await runUpdate(dir, V1)).out).toContain('up to date');
  });

  test('--dry-run prints the diff it would apply and writes nothing', async () => {
    const dir = await createProject(V1);
    const result = await runUpdate(dir, V2, { dryRun: true });
    expect(result.code).toBe(0);
    expect(result.out).toContain('--- a/src/auth/core.ts\n+++ b/src/auth/core.ts\n@@ -1 +1 @@\n-export const core = 1;\n+export const core = 2; // a security fix');
    expect(result.out).toContain('--- /dev/null\n+++ b/src/new.ts');
    expect(result.out).toContain('--- a/src/old.ts\n+++ /dev/null');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  test('works without git: conflicts are still written, listed and signalled by exit 3', async () => {
    const dir = await createProject(V1, { git: false });
    rmSync(join(dir, 'src/guide.ts'));
    edit(dir, 'src/tools/hello.ts', (text) => text.replace("export const title = 'Hello';", "export const title = 'Yo';"));
    const result = await runUpdate(dir, V2);
    expect(result.code).toBe(EXIT_CONFLICTS);
    expect(existsSync(join(dir, 'src/guide.ts'))).toBe(false);
    expect(result.err).not.toContain('git add');
  });
});

describe('update with new answers', () => {
  test('--scopes re-renders with the new scope and keeps the user’s README edit', async () => {
    const dir = await createProject(V1);
    edit(dir, 'README.md', (text) => text.replace('npm run dev', 'npm run dev   # starts everything'));
    commitAll(dir);
    const result = await runUpdate(dir, V1, { answers: { scopes: 'read,write,admin' } });
    expect(result.code).toBe(0);
    expect(result.out).toContain('scopes read,write → read,write,admin');
    expect(read(dir, 'src/scopes.ts')).toBe('export const SCOPES = ["read","write","admin"] as const;\n');
    expect(read(dir, 'README.md')).toContain('- `admin`');
    expect(read(dir, 'README.md')).toContain('npm run dev   # starts everything');
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.scopes).toEqual(['read', 'write', 'admin']);
  });

  test('--framework hono swaps the framework files the user never touched and keeps the rest', async () => {
    const dir = await createProject(V1);
    edit(dir, 'src/tools/hello.ts', (text) => `${text}// mine\n`);
    commitAll(dir);
    const result = await runUpdate(dir, V1, { answers: { framework: 'hono' } });
    expect(result.code).toBe(0);
    expect(result.out).toContain('framework "express" → "hono"');
    expect(read(dir, 'src/http/app.ts')).toBe("export const framework = 'hono';\n");
    expect(read(dir, 'src/tools/hello.ts')).toContain('// mine');
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers.framework).toBe('hono');
  });

  test('--provider: another provider needs its issuer, as in create; with it, the new issuer is rendered', async () => {
    const dir = await createProject(V1);
    await expect(runUpdate(dir, V1, { answers: { provider: 'oidc' } })).rejects.toMatchObject({ code: 'missing_answer', message: expect.stringContaining('--issuer') });
    const result = await runUpdate(dir, V1, { answers: { provider: 'oidc', issuer: 'https://id.example.com/' } });
    expect(result.code).toBe(0);
    expect(read(dir, '.env')).toBe('AUTH_ISSUER=https://id.example.com/\n');
    expect(JSON.parse(read(dir, ANSWERS_FILE)).answers).toMatchObject({ provider: 'oidc', issuer: 'https://id.example.com/' });
  });

  test('validates answer changes with the create validators, before anything is written', async () => {
    const dir = await createProject(V1);
    await expect(runUpdate(dir, V1, { answers: { scopes: 'read,offline_access' } })).rejects.toMatchObject({ code: 'invalid_answer' });
    await expect(runUpdate(dir, V1, { answers: { framework: 'koa' } })).rejects.toMatchObject({ code: 'invalid_answer' });
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  test('an ignored file that may hold secrets (.env), changed on both sides, is kept byte for byte: no markers, never staged in git', async () => {
    const dir = await createProject(V1);
    const mine = 'AUTH_ISSUER=http://localhost:9999\nSECRET=s3cret\n';
    write(dir, '.env', mine);
    const result = await runUpdate(dir, V1, { answers: { issuer: 'http://localhost:4000' } });
    expect(result.code).toBe(0);
    expect(read(dir, '.env')).toBe(mine);
    expect(result.out).toMatch(/kept +\.env \(yours kept as it is: it may hold secrets; the new version sets AUTH_ISSUER \(value not shown\)/);
    expect(git(dir, 'ls-files', '--stage', '.env')).toBe('');
  });

  test('runs from a folder inside the project, like git', async () => {
    const dir = await createProject(V1);
    const result = await runUpdate(join(dir, 'src/tools'), V2, { check: true });
    expect(result.code).toBe(EXIT_UPDATE_AVAILABLE);
  });

  test('without a pristine base (older projects), the recorded answers rendered by this version are the base', async () => {
    const dir = await createProject(V1);
    git(dir, 'rm', '-q', BASE_FILE);
    edit(dir, 'README.md', (text) => text.replace('An MCP server.', 'Our server.'));
    commitAll(dir);
    const result = await runUpdate(dir, V1, { answers: { scopes: 'read,write,admin' } });
    expect(result.code).toBe(0);
    expect(read(dir, 'README.md')).toContain('Our server.');
    expect(read(dir, 'README.md')).toContain('- `admin`');
    expect(existsSync(join(dir, BASE_FILE))).toBe(true);
  });

  test('refuses to take a project back to an older generator version', async () => {
    const dir = await createProject(V1);
    edit(dir, ANSWERS_FILE, (text) => text.replace(/"generatorVersion": "[^"]*"/, '"generatorVersion": "99.0.0"'));
    commitAll(dir);
    await expect(runUpdate(dir, V2)).rejects.toThrow(/made by create-mcp-auth-server 99\.0\.0, newer than this/);
  });

  test('outside a generated project: one clear error', async () => {
    const dir = await createProject(V1, { git: false });
    rmSync(join(dir, ANSWERS_FILE));
    await expect(runUpdate(dir, V1)).rejects.toMatchObject({ code: 'invalid_answers_file', message: expect.stringContaining('run update inside a project made by create-mcp-auth-server') });
  });
});
