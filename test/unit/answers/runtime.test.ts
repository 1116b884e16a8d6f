import { describe, expect, test } from 'vitest';
import { answersSchema } from '../../../src/answers/answers.js';
import { collectAnswers, type CollectInput } from '../../../src/answers/collect-answers.js';
import { keepUnrecordedChoices, runtimesFor } from '../../../src/answers/project-choices.js';
import { rawFromAnswers } from '../../../src/update/answers.js';
import type { Answers } from '../../../src/answers/answers.js';

const base: CollectInput = { flags: {}, interactive: false, cwd: '/work', env: {} };
const messageOf = async (flags: CollectInput['flags']) =>
  collectAnswers({ ...base, flags }).then(
    () => 'accepted',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );

describe('--runtime', () => {
  test('is node by default and recorded', async () => {
    expect((await collectAnswers(base)).answers.runtime).toBe('node');
  });

  test('takes every runtime Hono supports, and node and bun for Express', async () => {
    for (const runtime of ['node', 'bun', 'deno', 'workers']) {
      expect((await collectAnswers({ ...base, flags: { framework: 'hono', runtime } })).answers.runtime).toBe(runtime);
    }
    for (const runtime of ['node', 'bun']) {
      expect((await collectAnswers({ ...base, flags: { framework: 'express', runtime } })).answers.runtime).toBe(runtime);
    }
  });

  test('refuses what a runtime cannot serve with one sentence that says why', async () => {
    expect(await messageOf({ framework: 'express', runtime: 'deno' })).toMatch(/^--framework express does not run on --runtime deno: Express needs Node's HTTP server/);
    // Express is the default framework: naming a runtime that needs Hono says so.
    expect(await messageOf({ runtime: 'workers' })).toMatch(/^--framework express does not run on --runtime workers/);
    expect(await messageOf({ framework: 'hono', transport: 'stateful', runtime: 'workers' })).toMatch(/^--transport stateful does not run on --runtime workers: .*stateless only/);
    expect(await messageOf({ runtime: 'lambda' })).toBe('runtime must be one of node, bun, deno, workers (got "lambda")');
  });

  test('takes broker mode on Workers (its state in a Durable Object), for a preset that defaults to it and with --broker', async () => {
    const entra = await collectAnswers({ ...base, flags: { framework: 'hono', runtime: 'workers', provider: 'entra', providerInputs: { 'entra-tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47' } } });
    expect(entra.answers).toMatchObject({ runtime: 'workers', broker: true });
    const github = await collectAnswers({ ...base, flags: { framework: 'hono', runtime: 'workers', provider: 'github' } });
    expect(github.answers).toMatchObject({ runtime: 'workers', provider: 'github', broker: true });
    expect(await messageOf({ framework: 'hono', transport: 'stateful', runtime: 'workers', provider: 'github' })).toMatch(/^--transport stateful does not run on --runtime workers/);
  });

  test('the prompt offers only the runtimes that can serve what was chosen', () => {
    const ids = (stack: Parameters<typeof runtimesFor>[0]) => runtimesFor(stack).map((runtime) => runtime.id);
    expect(ids({ framework: 'express', transport: 'stateless' })).toEqual(['node', 'bun']);
    expect(ids({ framework: 'hono', transport: 'stateful' })).toEqual(['node', 'bun', 'deno']);
    expect(ids({ framework: 'hono', transport: 'stateless' })).toEqual(['node', 'bun', 'deno', 'workers']);
    expect(ids({ framework: 'hono', transport: 'stateless', broker: true })).toEqual(['node', 'bun', 'deno', 'workers']);
    expect(ids({ framework: 'express', transport: 'stateless', broker: true })).toEqual(['node', 'bun']);
  });

  test('a hand-edited answers file with an impossible runtime is refused by the schema', () => {
    const file = { projectName: 'app', provider: 'local', framework: 'express', transport: 'stateless', runtime: 'workers', scopes: ['read'], issuer: 'http://localhost:3001', packageManager: 'npm' };
    const result = answersSchema.safeParse(file);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/--framework express does not run on --runtime workers/);
    expect(answersSchema.safeParse({ ...file, framework: 'hono' }).success).toBe(true);
  });

  test('update keeps the recorded runtime, switches it with --runtime, and leaves an old file without one', async () => {
    const recorded: Answers = { projectName: 'app', provider: 'local', framework: 'hono', transport: 'stateless', runtime: 'deno', scopes: ['read'], issuer: 'http://localhost:3001', packageManager: 'npm' };
    const again = async (answers: Answers, flags: CollectInput['flags']) =>
      keepUnrecordedChoices(answers, (await collectAnswers({ ...base, dir: 'app', flags: rawFromAnswers(answers, flags) })).answers, flags);
    expect((await again(recorded, {})).runtime).toBe('deno');
    expect((await again(recorded, { runtime: 'bun' })).runtime).toBe('bun');
    const { runtime: _dropped, ...old } = recorded;
    expect((await again(old, {})).runtime).toBeUndefined();
    expect((await again(old, { runtime: 'workers' })).runtime).toBe('workers');
    // Switching the framework of a Deno project to Express is refused, not silently moved to node.
    await expect(again(recorded, { framework: 'express' })).rejects.toThrow(/--framework express does not run on --runtime deno/);
  });
});
