/**
 * Files that may hold secrets (`.env`) never reach a committed file: the pristine base keeps only their SHA-256, and
 * `update` replaces such a file only when it is untouched, never merging it. Real templates, with a secret added
 * to the rendered `.env` as the generator itself would write one.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { addTool } from '../../../src/update/add-tool.js';
import { EXIT_UPDATE_AVAILABLE } from '../../../src/update/run.js';
import { BASE_FILE } from '../../../src/update/pristine-base.js';
import { capture, commitAll, createProject, git, read, REAL, removeProjects, runUpdate, write } from './helpers.js';

const SECRET = 's3cr3t-VALUE-123';
const copies: string[] = [];
afterAll(() => {
  removeProjects();
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The real templates, with `lines` appended to the rendered `.env` (and `documented` to `.env.example`). */
function templatesWith(lines: string[], documented: string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'cmas-secret-templates-'));
  copies.push(root);
  cpSync(REAL, root, { recursive: true });
  appendFileSync(join(root, 'base/_env.ejs'), lines.map((line) => `${line}\n`).join(''));
  appendFileSync(join(root, 'base/_env.example.ejs'), documented.map((line) => `${line}\n`).join(''));
  return root;
}

const V1 = templatesWith([`AUTH_CLIENT_SECRET=${SECRET}`]);
const V2 = templatesWith([`AUTH_CLIENT_SECRET=${SECRET}`, 'AUTH_NEW_SETTING=42'], ['AUTH_NEW_SETTING=42']);

/** Tracked files (and every committed version of them) that contain `needle`. */
function committedCopies(dir: string, needle: string): string {
  git(dir, 'add', '-A');
  const tracked = spawnSync('git', ['grep', '-l', '-F', needle], { cwd: dir, encoding: 'utf8' }).stdout;
  const history = git(dir, 'log', '--all', '-p').includes(needle) ? 'git history' : '';
  return `${tracked}${history}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const storedEnv = (dir: string) => JSON.parse(read(dir, BASE_FILE)).files['.env'];

describe('a secret in .env', () => {
  test('is in no tracked file after create, update and add tool; base.json holds the digest of .env', async () => {
    const dir = await createProject(V1);
    expect(read(dir, '.env')).toContain(`AUTH_CLIENT_SECRET=${SECRET}`);
    expect(storedEnv(dir)).toEqual({ sha256: sha256(read(dir, '.env')) });
    expect(committedCopies(dir, SECRET)).toBe('');

    // Untouched .env: updated to the new version, still only a digest in the base.
    const updated = await runUpdate(dir, V2);
    expect(updated.code).toBe(0);
    expect(updated.out).toMatch(/updated +\.env$/m);
    expect(read(dir, '.env')).toContain('AUTH_NEW_SETTING=42');
    expect(storedEnv(dir)).toEqual({ sha256: sha256(read(dir, '.env')) });
    expect(committedCopies(dir, SECRET)).toBe('');
    commitAll(dir, 'update');

    const captured = capture(dir, V2);
    expect(await addTool({ name: 'delete_note', dryRun: false }, captured.io)).toBe(0);
    expect(committedCopies(dir, SECRET)).toBe('');
  });

  test('an edited .env is kept byte for byte and the report names the new key to copy', async () => {
    const dir = await createProject(V1);
    const mine = `${read(dir, '.env')}MY_OWN_API_KEY=an0ther-s3cr3t\n`;
    write(dir, '.env', mine);
    const check = await runUpdate(dir, V2, { check: true });
    expect(check.code).toBe(EXIT_UPDATE_AVAILABLE);
    const dryRun = await runUpdate(dir, V2, { dryRun: true });
    expect(dryRun.out).not.toContain('an0ther-s3cr3t');
    const result = await runUpdate(dir, V2);
    expect(result.code).toBe(0);
    expect(read(dir, '.env')).toBe(mine);
    expect(result.out).toMatch(/kept +\.env \(yours kept as it is: it may hold secrets; the new version adds AUTH_NEW_SETTING=42: copy what you need, see \.env\.example\)/);
    expect(result.out).not.toContain('an0ther-s3cr3t');
    expect(committedCopies(dir, 'an0ther-s3cr3t')).toBe('');
    expect(committedCopies(dir, SECRET)).toBe('');
  });

  test('an untouched .env shows no values in a dry run', async () => {
    const dir = await createProject(V1);
    const dryRun = await runUpdate(dir, V2, { dryRun: true });
    expect(dryRun.out).toContain('(.env: diff not shown, it may hold secrets)');
    expect(dryRun.out).not.toContain(SECRET);
  });

  test('a base.json from an earlier version, with .env in it, still works; the first update removes the copy and says history has it', async () => {
    const dir = await createProject(V1);
    const base = JSON.parse(read(dir, BASE_FILE));
    base.files['.env'] = read(dir, '.env').split(/(?<=\n)/);
    write(dir, BASE_FILE, `${JSON.stringify(base, null, 1)}\n`);
    commitAll(dir, 'as an earlier version wrote it');

    expect((await runUpdate(dir, V1, { check: true })).code).toBe(EXIT_UPDATE_AVAILABLE);
    const result = await runUpdate(dir, V1);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`${BASE_FILE} no longer holds a copy of .env (only a SHA-256 now); earlier commits still do`);
    expect(storedEnv(dir)).toEqual({ sha256: sha256(read(dir, '.env')) });
    expect(spawnSync('git', ['grep', '-q', '-F', SECRET], { cwd: dir }).status).toBe(1);
    commitAll(dir, 'update');
    expect((await runUpdate(dir, V1, { check: true })).code).toBe(0);
  });
});
