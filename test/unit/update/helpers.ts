import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawAnswers } from '../../../src/answers/flags.js';
import { create } from '../../../src/create/run.js';
import { update, type UpdateArgs, type UpdateIO } from '../../../src/update/run.js';

export const V1 = fileURLToPath(new URL('../../fixtures/update-v1/', import.meta.url));
export const V2 = fileURLToPath(new URL('../../fixtures/update-v2/', import.meta.url));
export const REAL = fileURLToPath(new URL('../../../templates/', import.meta.url));

const workspaces: string[] = [];
/** Removes every project `createProject` made (call in afterAll). */
export function removeProjects(): void {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Captured {
  io: UpdateIO;
  out: string[];
  err: string[];
}

export function capture(cwd: string, templatesRoot: string): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { cwd, env: {}, isTTY: false, logger: { info: (l) => out.push(l), warn: (l) => err.push(l) }, templates: templatesRoot } };
}

/** Creates `app` from `templatesRoot` in a fresh temp folder, with a git repository unless `git: false`. */
export async function createProject(templatesRoot: string, options: { git?: boolean; answers?: RawAnswers } = {}): Promise<string> {
  const workspace = mkdtempSync(join(tmpdir(), 'cmas-update-'));
  workspaces.push(workspace);
  await create(
    { dir: 'app', answers: { packageManager: 'npm', ...options.answers }, options: { yes: true, install: false, git: options.git ?? true, force: false, dryRun: false } },
    { ...capture(workspace, templatesRoot).io },
  );
  return join(workspace, 'app');
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, encoding: 'utf8' });
}

export const commitAll = (dir: string, message = 'my edits') => git(dir, 'commit', '-qam', message);

export async function runUpdate(dir: string, templatesRoot: string, args: Partial<UpdateArgs> = {}) {
  const captured = capture(dir, templatesRoot);
  const code = await update({ answers: {}, yes: true, dryRun: false, check: false, ...args }, captured.io);
  return { code, out: captured.out.join('\n'), err: captured.err.join('\n') };
}

export const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
export const write = (dir: string, path: string, text: string) => writeFileSync(join(dir, path), text);
export const edit = (dir: string, path: string, change: (text: string) => string) => write(dir, path, change(read(dir, path)));
