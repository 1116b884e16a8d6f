import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from './conformance/dev-server.js';
import { generatedProject, scratchDir, type Framework, type Transport } from './conformance/shared-cache.js';
import { startTokenProxy, type TokenProxy } from './conformance/token-proxy.js';
import { run } from './run.js';

/**
 * The official MCP conformance suite against generated servers, for Express and Hono, stateless (the default) and
 * stateful, at spec revisions 2025-11-25 and 2026-07-28 (`--requirements`: exactly the scenarios that revision
 * requires, frozen at its release). The suite needs Node 22 (taken from the registry as `node@22`) and cannot send
 * a token, so it talks to a proxy that adds one obtained through the real OAuth flow of the development
 * authorization server. Expected failures are listed per check in `conformance/expected-failures.*.yml` and
 * are only checks that need the suite's own fixtures; the suite itself fails the run on any other failure and on
 * a baseline entry that starts passing.
 */
const CONFORMANCE = '@modelcontextprotocol/conformance@0.2.0-alpha.12';
const NODE = 'node@22';
const revisions = ['2025-11-25', '2026-07-28'] as const;
type Revision = (typeof revisions)[number];

/** Scenarios that must be scored and pass outright (no baseline entry), per revision and transport. */
const mustPass: Record<Revision, Record<Transport, string[]>> = {
  '2025-11-25': {
    stateless: ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'],
    stateful: ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection', 'server-sse-multiple-streams'],
  },
  '2026-07-28': {
    stateless: ['tools-list', 'dns-rebinding-protection', 'server-sse-multiple-streams'],
    stateful: ['tools-list', 'dns-rebinding-protection', 'server-sse-multiple-streams'],
  },
};

/**
 * Protocol scenarios the suite runs but does not score for the revision (pending, or added after its release), and
 * which apply to our servers: they must pass too. (The other unscored ones need fixtures or the tasks extension.)
 */
const mustPassUnscored: Record<Revision, Record<Transport, string[]>> = {
  '2025-11-25': { stateless: ['server-session-lifecycle'], stateful: ['server-session-lifecycle'] },
  '2026-07-28': { stateless: ['http-header-validation'], stateful: ['http-header-validation'] },
};

const baselineDir = fileURLToPath(new URL('./conformance/', import.meta.url));
const listItems = (file: string) => readFileSync(join(baselineDir, file), 'utf8').split('\n').filter((line) => /^\s+- /.test(line));

/** The baseline for one run: the revision's file, plus the stateless additions where they exist. */
function baselineFor(revision: Revision, transport: Transport, dir: string): string {
  const extra = transport === 'stateless' && revision === '2025-11-25' ? listItems(`expected-failures.${revision}.stateless.yml`) : [];
  const path = join(dir, `baseline-${revision}-${transport}.yml`);
  writeFileSync(path, ['server:', ...listItems(`expected-failures.${revision}.yml`), ...extra, ''].join('\n'));
  return path;
}

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
}

/** Reads `<out>/server-<scenario>-<timestamp>/checks.json` into scenario → checks. */
function readChecks(outDir: string): Map<string, Check[]> {
  const results = new Map<string, Check[]>();
  for (const entry of readdirSync(outDir)) {
    const scenario = entry.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
    results.set(scenario, JSON.parse(readFileSync(join(outDir, entry, 'checks.json'), 'utf8')) as Check[]);
  }
  return results;
}

/** The server scenarios a revision requires (`conformance list --server --requirements <revision>`). */
async function requiredScenarios(revision: Revision, cwd: string): Promise<Set<string>> {
  const listing = await run('npx', ['-y', '-p', NODE, '-p', CONFORMANCE, '--', 'conformance', 'list', '--server', '--requirements', revision], { cwd });
  const section = listing.slice(listing.indexOf('Server scenarios')).split('\n\n')[0]!;
  return new Set([...section.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1]!));
}

const summary: string[] = [];
afterAll(() => console.log(`\nconformance (${CONFORMANCE}, ${NODE}):\n${summary.sort().join('\n')}`));

const servers = [
  { framework: 'express', transport: 'stateless' },
  { framework: 'hono', transport: 'stateless' },
  { framework: 'express', transport: 'stateful' },
  { framework: 'hono', transport: 'stateful' },
] as const satisfies readonly { framework: Framework; transport: Transport }[];

describe.each(servers)('the conformance suite against a generated $framework server ($transport)', ({ framework, transport }) => {
  let dev: DevServer;
  let proxy: TokenProxy;
  const work = scratchDir(`conformance-${framework}-${transport}`);

  beforeAll(async () => {
    dev = await startDevServer(await generatedProject(framework, transport));
    proxy = await startTokenProxy(new URL(dev.mcpUrl).origin, await dev.fetchAccessToken());
  });
  afterAll(async () => {
    await proxy?.close();
    await dev?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it.each(revisions)('passes every scenario of %s that does not need the suite fixtures', async (revision) => {
    const outDir = join(work, revision);
    const args = ['-y', '-p', NODE, '-p', CONFORMANCE, '--', 'conformance', 'server', '--url', `${proxy.origin}/mcp`];
    args.push('--requirements', revision, '--expected-failures', baselineFor(revision, transport, work), '-o', outDir);
    let output: string;
    try {
      output = await run('npx', args, { cwd: work });
    } catch (error) {
      throw new Error(`conformance ${revision} failed against ${framework} (${transport}); proxy saw:\n${proxy.log.slice(-20).join('\n')}\n${String(error)}`);
    }
    // eslint-disable-next-line no-control-regex -- strip colours
    output = output.replace(/\x1b\[[0-9;]*m/g, '');
    expect(output).toContain('Baseline check passed: all failures are expected.');

    const required = await requiredScenarios(revision, work);
    const all = [...readChecks(outDir)];
    const scored = all.filter(([scenario]) => required.has(scenario));
    const failing = (checks: Check[]) => checks.filter((check) => check.status === 'FAILURE' || check.status === 'WARNING');
    expect(scored.map(([name]) => name).sort()).toEqual([...required].sort());
    for (const scenario of mustPass[revision][transport]) {
      const checks = scored.find(([name]) => name === scenario)?.[1];
      expect(checks, `${scenario} was run and scored`).toBeDefined();
      expect(failing(checks!), `${scenario} has no failing check`).toEqual([]);
    }
    for (const scenario of mustPassUnscored[revision][transport]) {
      const checks = all.find(([name]) => name === scenario)?.[1];
      expect(checks?.length, `${scenario} was run`).toBeGreaterThan(0);
      expect(failing(checks!), `${scenario} has no failing check`).toEqual([]);
    }
    const clean = scored.filter(([, checks]) => failing(checks).length === 0).map(([name]) => name);
    const extraClean = all.filter(([name, checks]) => !required.has(name) && checks.length > 0 && failing(checks).length === 0).map(([name]) => name);
    const checks = scored.flatMap(([, list]) => list);
    const passed = checks.filter((check) => check.status === 'SUCCESS').length;
    const expected = failing(checks).length;
    summary.push(
      `  ${framework.padEnd(7)} ${transport.padEnd(9)} ${revision}: ${scored.length} scenarios scored, ${clean.length} fully passed ` +
        `(${clean.sort().join(', ')}); checks ${passed} passed, ${expected} expected failures (fixtures); ` +
        `also passed, not scored: ${extraClean.sort().join(', ') || 'none'}`,
    );
  });
});
