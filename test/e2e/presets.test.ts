import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers/index.js';
import { run, start, freePort } from './run.js';

/**
 * Every provider preset × framework, end to end: the BUILT CLI renders each project (--no-install --no-git), one
 * install per framework is shared through a node_modules symlink, and every project type-checks and passes its own
 * preset-dependent tests (provider-shaped tokens incl. introspection for opaque presets, the token attack table,
 * tools behind the gate). Then `doctor` is run against the local project's own development authorization server.
 * Timings are printed.
 *
 * CI (the default): each framework's preset-dependent tests of all its projects run in ONE vitest run that holds every
 * project as a vitest project (its own config, root and test files, fresh workers per file); a JSON report proves per
 * project that exactly its preset-dependent files ran and none failed. Only one project per framework is installed by
 * npm (the local preset, whose dependency set is a superset of every other project's, which is asserted).
 * PRESETS_E2E_FULL=1 is the escape hatch: every project's WHOLE suite, each as its own `vitest run` in its own folder
 * (the sessions, tools, dev-server OAuth flow and outage tests are the same code for every preset and otherwise run in
 * create.test.ts only).
 */
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const workspace = join(tmpdir(), `create-mcp-auth-server-presets-${process.pid}`);
mkdirSync(workspace, { recursive: true });
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const frameworks = ['express', 'hono'] as const;
const PARALLEL = Math.max(1, Math.min(availableParallelism(), 4));
/**
 * The generated test files whose outcome depends on the provider preset (its token rules, token format, metadata
 * shim). The rest of a project's suite (sessions, tools, the dev-server OAuth flow, outages) is the same code for
 * every preset and runs in full in create.test.ts; PRESETS_E2E_FULL=1 runs every project's whole suite here too.
 */
const FULL = process.env['PRESETS_E2E_FULL'] === '1';
const PRESET_DEPENDENT_TESTS = ['test/auth/provider-tokens.test.ts', 'test/auth/token-attacks.test.ts', 'test/http/mcp.test.ts'];
/** In broker projects the preset shapes the upstream (OpenID discovery or a user API): the broker's server tests. */
const BROKER_PRESET_DEPENDENT_TESTS = ['test/http/'];

/**
 * The projects: every preset × framework with its defaults, plus the other mode of each preset whose default is the
 * broker (it can still be a resource server), so both modes of those presets are rendered, type-checked and tested.
 */
interface Variant {
  id: string;
  /** Folder suffix and extra flags for the non-default mode. */
  mode: '' | '-rs';
}
const variants: Variant[] = providers.flatMap((p) => {
  const broker = p.broker;
  return [{ id: p.id, mode: '' as const }, ...(broker?.default && !broker.only ? [{ id: p.id, mode: '-rs' as const }] : [])];
});

/** Flags for a preset's inputs, from the examples in the providers table (the first alternative of each). */
function inputFlags(id: string): string[] {
  const preset = providers.find((p) => p.id === id)!;
  // Generic presets (oidc, oauth) take the issuer itself.
  const issuer = 'issuer' in preset || 'defaultIssuer' in preset ? [] : ['--issuer', preset.issuerExample];
  return [...issuer, ...preset.inputs.flatMap((input) => [`--${input.flag}`, input.example.split(' | ')[0]!.split(' (')[0]!])];
}

/** Runs `task` over `items`, at most `limit` at a time; resolves when all settle, rejects with every failure. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const failures: unknown[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await task(item).catch((error: unknown) => failures.push(error));
      }
    }),
  );
  if (failures.length > 0) throw new AggregateError(failures, failures.map(String).join('\n\n'));
}

const timings: string[] = [];
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings.push(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}
afterAll(() => console.log(`preset e2e timings (parallelism ${PARALLEL}):\n  ${timings.join('\n  ')}`));

const projectDir = (framework: string, id: string, mode = '') => join(workspace, `${framework}-${id}${mode}`);
/** A project's test files (its vitest include: every *.test.ts under test/), relative to it. */
function testFiles(dir: string): string[] {
  return (readdirSync(join(dir, 'test'), { recursive: true }) as string[]).filter((file) => file.endsWith('.test.ts')).map((file) => join('test', file)).sort();
}

describe('every provider preset × framework', () => {
  it('renders every project with the built CLI', async () => {
    await timed(`render ${variants.length * frameworks.length} projects`, () =>
      pool(frameworks.flatMap((framework) => variants.map((v) => ({ framework, ...v }))), PARALLEL * 2, async ({ framework, id, mode }) => {
        const modeFlags = mode === '-rs' ? ['--no-broker'] : [];
        await run('node', [cli, projectDir(framework, id, mode), '--yes', '--no-install', '--no-git', '--pm', 'npm', '--framework', framework, '--provider', id, ...inputFlags(id), ...modeFlags], { cwd: workspace });
        const answers = JSON.parse(readFileSync(join(projectDir(framework, id, mode), '.mcp-auth-server.json'), 'utf8')) as { answers: { provider: string; broker?: boolean } };
        expect(answers.answers.provider).toBe(id);
        if (mode === '-rs') expect(answers.answers.broker).toBe(false);
      }),
    );
  });

  it('installs once per framework and shares node_modules', async () => {
    await timed('install (both frameworks)', () =>
      // One at a time: two concurrent npm installs fight over the cache on a small machine.
      pool(frameworks, 1, async (framework) => {
        const shared = join(workspace, `shared-${framework}`);
        await run('node', [cli, shared, '--yes', '--no-git', '--pm', 'npm', '--framework', framework], { cwd: workspace });
        // The shared install stands in for each project's own only if it declares every dependency the project does,
        // with the same range (broker projects and local declare the same set; resource servers a subset of it).
        const declared = (dir: string) => {
          const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
          return { ...pkg['dependencies'], ...pkg['devDependencies'] };
        };
        const installed = declared(shared);
        for (const v of variants) {
          const dir = projectDir(framework, v.id, v.mode);
          expect(installed, `${framework}-${v.id}${v.mode}'s dependencies are in the shared install`).toMatchObject(declared(dir));
          symlinkSync(join(shared, 'node_modules'), join(dir, 'node_modules'), 'dir');
        }
      }),
    );
  });

  it('type-checks every project: one compiler run per framework over all of its projects', async () => {
    // The projects share node_modules (one realpath), so one program holds them all and library types are parsed
    // once; each project's own files are still checked with its own tsconfig options.
    const base = JSON.parse(readFileSync(join(projectDir('express', 'local'), 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    await timed('type-check (both frameworks)', () =>
      // The two compiler runs are independent and single-threaded: side by side they use both cores of a CI machine.
      pool(frameworks, PARALLEL, async (framework) => {
        const config = join(workspace, `tsconfig.${framework}.json`);
        const compilerOptions = { ...base.compilerOptions, rootDir: '.', typeRoots: [`./shared-${framework}/node_modules/@types`] };
        writeFileSync(config, JSON.stringify({ compilerOptions, include: ['src', 'dev', 'test'].map((folder) => `${framework}-*/${folder}`) }));
        await run(join(workspace, `shared-${framework}`, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', config], { cwd: workspace });
      }),
    );
  });

  it(`passes its ${FULL ? 'whole suite' : 'preset-dependent tests'} in every project`, async () => {
    const projects = frameworks.flatMap((framework) => variants.map((v) => ({ framework, ...v })));
    if (FULL) {
      // The escape hatch, as before: every project's whole suite, each run as its own `vitest run` in its own folder.
      await timed(`tests of ${projects.length} projects`, () =>
        pool(projects, PARALLEL, async ({ framework, id, mode }) => {
          const dir = projectDir(framework, id, mode);
          try {
            // eslint-disable-next-line no-control-regex -- strip the runner's colours before reading its summary
            const output = (await run(join(dir, 'node_modules', '.bin', 'vitest'), ['run'], { cwd: dir, env: { CI: '1' } })).replace(/\x1b\[[0-9;]*m/g, '');
            expect(output).toMatch(/Tests\s+\d+ passed/);
            expect(output).not.toMatch(/\d+ failed/);
          } catch (error) {
            throw new Error(`${framework} × ${id}${mode}: ${(error as Error).message}`);
          }
        }),
      );
      return;
    }
    // One vitest run per framework holds all of its projects as vitest projects: each extends that project's own
    // vitest.config.ts (its root, include, timeouts) and excludes the test files that do not depend on the preset, so
    // exactly the files the per-project runs ran are run, in fresh workers, without 30 runner start-ups per framework.
    // The JSON report is then read per project: every selected file ran and passed, nothing else ran.
    await timed(`tests of ${projects.length} projects`, () =>
      pool(frameworks, 1, async (framework) => {
        const own = projects.filter((p) => p.framework === framework);
        const expected = new Map<string, string[]>();
        const entries = own.map(({ id, mode }) => {
          const dir = projectDir(framework, id, mode);
          const { answers } = JSON.parse(readFileSync(join(dir, '.mcp-auth-server.json'), 'utf8')) as { answers: { broker?: boolean } };
          const presetTests = answers.broker ? BROKER_PRESET_DEPENDENT_TESTS : PRESET_DEPENDENT_TESTS;
          const files = testFiles(dir);
          const selected = files.filter((file) => presetTests.some((wanted) => file.startsWith(wanted)));
          expect(selected, `${framework} × ${id}${mode} has preset-dependent tests`).not.toHaveLength(0);
          expected.set(dir, selected);
          return { extends: join(dir, 'vitest.config.ts'), root: dir, test: { name: `${framework}-${id}${mode}`, exclude: files.filter((file) => !selected.includes(file)) } };
        });
        const config = join(workspace, `vitest.${framework}.config.mjs`);
        const report = join(workspace, `vitest.${framework}.json`);
        writeFileSync(config, `export default ${JSON.stringify({ test: { projects: entries } }, null, 2)};\n`);
        await run(join(workspace, `shared-${framework}`, 'node_modules', '.bin', 'vitest'), ['run', '--config', config, '--root', workspace, `--maxWorkers=${PARALLEL}`, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
          cwd: workspace,
          env: { CI: '1' },
          timeoutMs: 540_000,
        });
        const { testResults } = JSON.parse(readFileSync(report, 'utf8')) as { testResults: { name: string; status: string; assertionResults: { status: string }[] }[] };
        const failures: string[] = [];
        for (const [dir, selected] of expected) {
          const ran = testResults.filter((result) => result.name.startsWith(`${dir}/`));
          const ranFiles = ran.map((result) => relative(dir, result.name)).sort();
          if (JSON.stringify(ranFiles) !== JSON.stringify([...selected].sort())) failures.push(`${dir}: ran ${ranFiles.join(', ') || 'nothing'}, expected ${selected.join(', ')}`);
          for (const result of ran) {
            const failed = result.assertionResults.filter((a) => a.status === 'failed').length;
            if (result.status === 'failed' || failed > 0) failures.push(`${result.name}: ${result.status}, ${failed} failed`);
          }
          const passed = ran.flatMap((result) => result.assertionResults).filter((a) => a.status === 'passed').length;
          if (passed === 0) failures.push(`${dir}: no test passed`);
        }
        expect(failures).toEqual([]);
      }),
    );
  });

  it('doctor finds the local project ready against its own development authorization server', async () => {
    const dir = projectDir('express', 'local');
    const port = await freePort();
    const devServer = await start(join(dir, 'node_modules', '.bin', 'tsx'), ['dev/run-auth-server.ts'], {
      cwd: dir,
      env: { AUTH_ISSUER: `http://localhost:${port}` },
      ready: /issuer:/,
    });
    try {
      const output = await timed('doctor (local)', () => run('node', [cli, 'doctor'], { cwd: dir, env: { AUTH_ISSUER: `http://localhost:${port}` } }));
      expect(output).toContain('✓ issuer matches exactly');
      expect(output).toContain('✓ PKCE S256 advertised');
      expect(output).toContain('✓ clients can register: dynamic client registration');
      expect(output).toMatch(/✓ JWKS reachable: \d+ key\(s\), algorithms ES256/);
      expect(output).toContain('Ready:');
    } finally {
      await devServer.stop();
    }
  });
});
