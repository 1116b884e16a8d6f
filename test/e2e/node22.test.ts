import { describe, expect, it } from 'vitest';
import { generatedProject } from './conformance/shared-cache.js';
import { run } from './run.js';

/**
 * The Node 22 leg: a generated project's own tests (token checks, metadata, MCP over HTTP, the full OAuth flow with
 * the development authorization server) under Node 22 from the registry (`npx -p node@22`), as create.test.ts does
 * under the Node that runs this suite (20). npx puts node@22 first on PATH, so npm and every script it starts run
 * on Node 22. The type-check is left to create.test.ts: tsc's answer does not depend on the Node running it.
 */
const onNode22 = (args: string[]) => ['-y', '-p', 'node@22', '--', ...args];

describe.each(['express', 'hono'] as const)('a generated %s project on Node 22', (framework) => {
  it('passes its own tests', async () => {
    const dir = await generatedProject(framework);
    expect(await run('npx', onNode22(['node', '--version']), { cwd: dir })).toMatch(/^v22\./m);
    // eslint-disable-next-line no-control-regex -- strip the test runner's colours before reading its summary
    const output = (await run('npx', onNode22(['npm', 'test']), { cwd: dir })).replace(/\x1b\[[0-9;]*m/g, '');
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
    console.log(`${framework} on Node 22: ${/Tests\s+(\d+ passed[^\n]*)/.exec(output)?.[1]}`);
  });
});
