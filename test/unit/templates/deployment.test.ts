import { validate, ValidationSeverity } from 'dockerfile-utils';
import { describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { createTemplateContext } from '../../../src/render/context.js';
import { planLayers } from '../../../src/render/plan.js';
import { renderProject } from '../../../src/render/render.js';
import { localAnswers } from '../render/fixtures.js';

/**
 * The deployment files of a generated project, rendered from the real templates for every package manager:
 * the Dockerfile passes a Dockerfile linter (dockerfile-utils, the validator behind VS Code's Docker support;
 * no Docker engine is needed) and has the shape production needs; .dockerignore and the CI workflow hold what
 * they must.
 */
const TEMPLATES = new URL('../../../templates/', import.meta.url);
const managers = ['npm', 'pnpm', 'yarn', 'bun'] as const;

async function renderFor(overrides: Partial<Answers>): Promise<Map<string, string>> {
  const answers = { ...localAnswers, projectName: '@acme/mcp-server', ...overrides } as Answers;
  const files = await renderProject(TEMPLATES, planLayers(answers), createTemplateContext(answers));
  return new Map([...files].map(([path, contents]) => [path, contents.toString()]));
}

/** Instructions as [KEYWORD, arguments] pairs, continuation lines joined, comments dropped. */
function instructions(dockerfile: string): [string, string][] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.trim().split(/\s+/);
      return [keyword.toUpperCase(), rest.join(' ')];
    });
}

describe.each(managers)('the Dockerfile for %s', (packageManager) => {
  test('passes the Dockerfile linter with no problem of any severity', async () => {
    const dockerfile = (await renderFor({ packageManager })).get('Dockerfile')!;
    const problems = validate(dockerfile, {
      // The strictest settings: everything the validator can flag is an error.
      deprecatedMaintainer: ValidationSeverity.ERROR,
      directiveCasing: ValidationSeverity.ERROR,
      emptyContinuationLine: ValidationSeverity.ERROR,
      instructionCasing: ValidationSeverity.ERROR,
      instructionCmdMultiple: ValidationSeverity.ERROR,
      instructionEntrypointMultiple: ValidationSeverity.ERROR,
      instructionHealthcheckMultiple: ValidationSeverity.ERROR,
      instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
      instructionWorkdirRelative: ValidationSeverity.ERROR,
    });
    expect(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`)).toEqual([]);
  });

  test('is multi-stage, runs the compiled server as a non-root user on 0.0.0.0, and leaves the dev server out', async () => {
    const files = await renderFor({ packageManager });
    const dockerfile = files.get('Dockerfile')!;
    const steps = instructions(dockerfile);
    const froms = steps.filter(([keyword]) => keyword === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(3);
    const runtime = steps.slice(steps.lastIndexOf(froms.at(-1)!));
    expect(froms.at(-1)![1]).toMatch(/^node:22[\w.-]*$/);

    expect(runtime).toContainEqual(['USER', 'node']);
    const env = runtime.filter(([keyword]) => keyword === 'ENV').map(([, value]) => value).join(' ');
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(runtime.at(-1)).toEqual(['CMD', '["node", "--enable-source-maps", "dist/main.js"]']);
    expect(runtime.find(([keyword]) => keyword === 'HEALTHCHECK')?.[1]).toContain('/healthz');
    // The runtime takes only package.json, production node_modules and dist from the other stages.
    const copies = runtime.filter(([keyword]) => keyword === 'COPY').map(([, value]) => value);
    expect(copies).toEqual(['package.json ./', '--from=deps /app/node_modules ./node_modules', '--from=build /app/dist ./dist']);
    // Nothing of the development server: dev/ is never copied, its dependency never installed in production.
    expect(steps.filter(([keyword]) => keyword === 'COPY').map(([, value]) => value).join('\n')).not.toMatch(/\bdev\b|\.dev-auth|\.env/);
    expect(steps.map(([, value]) => value).join('\n')).not.toMatch(/oidc-provider|dev\/start|tsx/);
    // The lockfile goes in with package.json, so installs are exact (and, for pnpm, the settings that decide build scripts).
    const lock = { npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml pnpm-workspace.yaml', yarn: 'yarn.lock', bun: 'bun.lock' }[packageManager];
    expect(steps.filter(([keyword, value]) => keyword === 'COPY' && value === `package.json ${lock} ./`)).toHaveLength(2);
  });

  test('the CI workflow installs from the lockfile, type-checks, tests and builds on Node 20 and 22', async () => {
    const workflow = (await renderFor({ packageManager })).get('.github/workflows/ci.yml')!;
    expect(workflow).not.toMatch(/\t/);
    expect(workflow).toMatch(/^ {8}node: \[20, 22\]$/m);
    expect(workflow).toContain('node-version: ${{ matrix.node }}');
    const runs = [...workflow.matchAll(/^ {6}- run: (.+)$/gm)].map((m) => m[1]);
    const expected = {
      npm: ['npm ci', 'npm run typecheck', 'npm run test', 'npm run build'],
      pnpm: ['pnpm install --frozen-lockfile', 'pnpm typecheck', 'pnpm test', 'pnpm build'],
      yarn: ['yarn install --frozen-lockfile', 'yarn typecheck', 'yarn test', 'yarn build'],
      bun: ['bun install --frozen-lockfile', 'bun run typecheck', 'bun run test', 'bun run build'],
    }[packageManager];
    expect(runs).toEqual(expected);
    expect(workflow).toMatch(/^permissions:\n {2}contents: read$/m);
  });
});

test('.dockerignore keeps secrets, local state and build output out of the build context', async () => {
  const ignored = (await renderFor({})).get('.dockerignore')!.split('\n');
  for (const entry of ['node_modules', 'dist', '.env', '.env.*', '.dev-auth', '.git']) expect(ignored).toContain(entry);
});

test('the image tag in the Dockerfile comments is derived from the package name by allow-list', async () => {
  expect((await renderFor({})).get('Dockerfile')).toContain('docker build -t acme-mcp-server .');
});

test('the linter is live: it flags a broken Dockerfile', () => {
  const problems = validate('FROM node:22 AS build\nRUNN npm ci\nCMD node a.js\nCMD node b.js\nHEALTHCHECK --interval=abc CMD true\n');
  expect(problems.length).toBeGreaterThanOrEqual(3);
});
