import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run, runForAnswer } from './run.js';

/**
 * The built CLI never commits a secret written to `.env`: not when `create` renders one there (as a generator that
 * creates keys would), not after `update`, not after `add tool`. `.mcp-auth-server/base.json` holds a SHA-256 of
 * `.env`; an untouched `.env` takes the update; an edited one is kept byte for byte and the report names the new key.
 * No install: only the generator runs. The templates are this repository's, with a secret line added to `.env`.
 */
const SECRET = 's3cr3t-VALUE-123';
const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(repo, 'dist/cli.js');
const workspace = mkdtempSync(join(tmpdir(), 'create-mcp-auth-server-secrets-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** A copy of the templates whose `.env` gets `lines` (and `.env.example` gets `documented`). */
function templates(name: string, lines: string[], documented: string[] = []): string {
  const root = join(workspace, name);
  cpSync(join(repo, 'templates'), root, { recursive: true });
  appendFileSync(join(root, 'base/_env.ejs'), lines.map((line) => `${line}\n`).join(''));
  appendFileSync(join(root, 'base/_env.example.ejs'), documented.map((line) => `${line}\n`).join(''));
  return root;
}
const v1 = templates('v1', [`AUTH_CLIENT_SECRET=${SECRET}`]);
const v2 = templates('v2', [`AUTH_CLIENT_SECRET=${SECRET}`, 'AUTH_NEW_SETTING=42'], ['AUTH_NEW_SETTING=42']);

const git = (dir: string, ...args: string[]) => run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: dir });
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const cliWith = (dir: string, templatesRoot: string, args: string[]) =>
  run('node', [cli, ...args], { cwd: dir, env: { CREATE_MCP_AUTH_SERVER_TEMPLATES: templatesRoot } });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const storedEnv = (dir: string) => JSON.parse(read(dir, '.mcp-auth-server/base.json')).files['.env'];

/** Commits everything, then: the tracked files and the history that contain `needle` (both should be empty). */
async function committedCopies(dir: string, needle: string): Promise<{ tracked: string; history: boolean }> {
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-qm', 'step', '--allow-empty');
  const grep = await runForAnswer('git', ['grep', '-l', '-F', needle], { cwd: dir });
  expect(grep.code, grep.output).toBe(1); // 1: no match
  const history = (await git(dir, 'log', '--all', '-p')).includes(needle);
  return { tracked: grep.output, history };
}

async function createProject(name: string): Promise<string> {
  await cliWith(workspace, v1, [name, '--yes', '--pm', 'npm', '--no-install']);
  return join(workspace, name);
}

describe('a secret in .env, through the built CLI', () => {
  it('is in no tracked file or commit after create, update and add tool; base.json holds the digest of .env', async () => {
    const dir = await createProject('untouched');
    expect(read(dir, '.env')).toContain(`AUTH_CLIENT_SECRET=${SECRET}`);
    expect(storedEnv(dir)).toEqual({ sha256: sha256(read(dir, '.env')) });
    expect(await committedCopies(dir, SECRET)).toEqual({ tracked: '', history: false });

    const updated = await cliWith(dir, v2, ['update']);
    expect(updated).toMatch(/updated +\.env$/m);
    expect(read(dir, '.env')).toContain('AUTH_NEW_SETTING=42');
    expect(storedEnv(dir)).toEqual({ sha256: sha256(read(dir, '.env')) });
    expect(await committedCopies(dir, SECRET)).toEqual({ tracked: '', history: false });

    await cliWith(dir, v2, ['add', 'tool', 'delete_note', '--scopes', 'admin']);
    expect(await committedCopies(dir, SECRET)).toEqual({ tracked: '', history: false });
  });

  it('an edited .env is kept byte for byte, and the report names the new key to copy', async () => {
    const dir = await createProject('edited');
    const mine = `${read(dir, '.env')}MY_OWN_API_KEY=an0ther-s3cr3t\n`;
    writeFileSync(join(dir, '.env'), mine);
    const output = await cliWith(dir, v2, ['update']);
    expect(read(dir, '.env')).toBe(mine);
    expect(output).toMatch(/kept +\.env \(yours kept as it is: it may hold secrets; the new version adds AUTH_NEW_SETTING=42: copy what you need, see \.env\.example\)/);
    expect(output).not.toContain('s3cr3t');
    expect(await committedCopies(dir, 'an0ther-s3cr3t')).toEqual({ tracked: '', history: false });
    expect(await committedCopies(dir, SECRET)).toEqual({ tracked: '', history: false });
  });
});
