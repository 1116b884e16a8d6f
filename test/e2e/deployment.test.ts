import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedProject, scratchDir } from './conformance/shared-cache.js';
import { freePort, run, start } from './run.js';

/**
 * There is no Docker engine here, so this test executes the generated Dockerfile's instructions itself, stage by
 * stage, on the host: each stage is a directory, COPY copies (from the project or an earlier stage), RUN runs with
 * the stage's ENV, and the last stage's CMD starts the server with its ENV (HOST=0.0.0.0) and a public
 * MCP_SERVER_URL, as `docker run -e …` would. Then: the image's HEALTHCHECK passes, a load balancer's probe by IP
 * gets 200, /mcp challenges with the public metadata URL, and no development dependency is in the runtime stage.
 * What only an engine checks (the base image, USER) is covered by the linter and the unit test of the Dockerfile.
 */
interface Stage {
  name: string;
  dir: string;
  env: Record<string, string>;
}

const work = scratchDir('docker-stages');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Instructions with continuation lines joined and comments dropped. */
function instructions(dockerfile: string): [string, string][] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const space = line.indexOf(' ');
      return [line.slice(0, space).toUpperCase(), line.slice(space + 1).trim()];
    });
}

const parseEnv = (value: string) => Object.fromEntries([...value.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
const WORKDIR = '/app';
const inStage = (stage: Stage, path: string) => join(stage.dir, path.startsWith(WORKDIR) ? path.slice(WORKDIR.length) : path);

async function executeStages(projectDir: string, dockerfile: string) {
  const stages: Stage[] = [];
  let healthcheck: string[] | undefined;
  let cmd: string[] | undefined;
  for (const [keyword, args] of instructions(dockerfile)) {
    const stage = stages.at(-1)!;
    switch (keyword) {
      case 'FROM': {
        const name = / AS (\S+)$/i.exec(args)?.[1] ?? `stage${stages.length}`;
        stages.push({ name, dir: join(work, name), env: {} });
        mkdirSync(join(work, name), { recursive: true });
        break;
      }
      case 'WORKDIR':
        expect(args).toBe(WORKDIR);
        break;
      case 'ENV':
        Object.assign(stage.env, parseEnv(args));
        break;
      case 'COPY': {
        const from = /^--from=(\S+)\s+/.exec(args);
        const parts = (from ? args.slice(from[0].length) : args).split(/\s+/);
        const dest = parts.pop()!;
        for (const source of parts) {
          const origin = from ? inStage(stages.find((s) => s.name === from[1])!, source) : join(projectDir, source);
          const target = dest.endsWith('/') ? join(inStage(stage, dest), source.split('/').at(-1)!) : inStage(stage, dest);
          cpSync(origin, target, { recursive: true });
        }
        break;
      }
      case 'RUN':
        // The npm cache stands in for the registry round-trips of a real build; the command is the Dockerfile's.
        await run('sh', ['-c', args], { cwd: stage.dir, env: { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', ...stage.env } });
        break;
      case 'HEALTHCHECK':
        healthcheck = JSON.parse(args.slice(args.indexOf('CMD ') + 4)) as string[];
        break;
      case 'CMD':
        cmd = JSON.parse(args) as string[];
        break;
    }
  }
  return { runtime: stages.at(-1)!, healthcheck: healthcheck!, cmd: cmd! };
}

function statusWithHost(url: string, host: string, method = 'GET'): Promise<{ status: number; challenge: string | undefined }> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers: { Host: host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] });
    })
      .on('error', reject)
      .end();
  });
}

describe('the generated Dockerfile, executed stage by stage without an engine', () => {
  it('builds, runs the compiled server alone on 0.0.0.0, passes its HEALTHCHECK and serves probes by IP', async () => {
    const project = await generatedProject('express');
    const { runtime, healthcheck, cmd } = await executeStages(project, readFileSync(join(project, 'Dockerfile'), 'utf8'));

    // Production dependencies only, and nothing of the development server.
    for (const dev of ['oidc-provider', 'tsx', 'typescript', 'vitest', '@modelcontextprotocol/client']) {
      expect(existsSync(join(runtime.dir, 'node_modules', dev)), dev).toBe(false);
    }
    expect(existsSync(join(runtime.dir, 'dev'))).toBe(false);
    expect(existsSync(join(runtime.dir, 'dist/main.js'))).toBe(true);
    expect(runtime.env).toMatchObject({ HOST: '0.0.0.0', NODE_ENV: 'production' });

    const port = await freePort();
    const env = { ...runtime.env, PORT: String(port), MCP_SERVER_URL: 'https://mcp.example.com/mcp', AUTH_ISSUER: 'http://localhost:1' };
    const server = await start(cmd[0]!, cmd.slice(1), { cwd: runtime.dir, env, ready: /unreachable for now/ });
    try {
      expect(server.output()).toContain(`MCP server listening on http://0.0.0.0:${port}`);
      await run(healthcheck[0]!, healthcheck.slice(1), { cwd: runtime.dir, env });
      const local = `http://127.0.0.1:${port}`;
      expect((await statusWithHost(`${local}/healthz`, `10.0.3.7:${port}`)).status).toBe(200);
      expect((await statusWithHost(`${local}/mcp`, `10.0.3.7:${port}`, 'POST')).status).toBe(403);
      const challenge = await statusWithHost(`${local}/mcp`, 'mcp.example.com', 'POST');
      expect(challenge.status).toBe(401);
      expect(challenge.challenge).toContain('resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"');
    } finally {
      await server.stop();
    }
  });
});
