import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Answers } from '../../../src/answers/answers.js';
import { serializeAnswersFile } from '../../../src/answers/answers-file.js';
import { resolveDoctorTarget, type DoctorArgs } from '../../../src/doctor/target.js';
import { CliError } from '../../../src/errors.js';

/** Which token format doctor assumes, from each source in its documented order: flags > environment > .env > answers file. */
describe('the token format doctor checks against', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'doctor-target-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const project = async (recorded: Partial<Answers>, dotEnv?: string) => {
    const answers: Answers = { projectName: 'p', provider: 'oidc', framework: 'express', transport: 'stateless', scopes: ['read'], issuer: 'https://auth.example.com', packageManager: 'npm', ...recorded };
    await writeFile(join(dir, '.mcp-auth-server.json'), serializeAnswersFile('0.1.0', answers));
    if (dotEnv !== undefined) await writeFile(join(dir, '.env'), dotEnv);
  };
  const formatFor = async (args: DoctorArgs = {}, env: NodeJS.ProcessEnv = {}) => (await resolveDoctorTarget(args, dir, env)).tokenFormat;

  test('the answers file: the recorded format when nothing else says one', async () => {
    await project({ tokenFormat: 'opaque' }, 'AUTH_ISSUER=https://auth.example.com\n');
    expect(await formatFor()).toBe('opaque');
  });

  test("the answers file: the preset's format when none is recorded (a project from before tokenFormat was recorded)", async () => {
    await project({ provider: 'google', issuer: 'https://accounts.google.com' });
    expect(await formatFor()).toBe('opaque');
    await project({ provider: 'oidc' });
    expect(await formatFor()).toBe('jwt');
  });

  test('.env over the answers file (an empty value counts as unset)', async () => {
    await project({ tokenFormat: 'opaque' }, 'AUTH_TOKEN_FORMAT=jwt\n');
    expect(await formatFor()).toBe('jwt');
    await project({ tokenFormat: 'opaque' }, 'AUTH_TOKEN_FORMAT=\n');
    expect(await formatFor()).toBe('opaque');
  });

  test('the environment over .env', async () => {
    await project({ tokenFormat: 'jwt' }, 'AUTH_TOKEN_FORMAT=jwt\n');
    expect(await formatFor({}, { AUTH_TOKEN_FORMAT: 'opaque' })).toBe('opaque');
  });

  test('--token-format over the environment', async () => {
    await project({ tokenFormat: 'opaque' }, 'AUTH_TOKEN_FORMAT=opaque\n');
    expect(await formatFor({ tokenFormat: 'jwt' }, { AUTH_TOKEN_FORMAT: 'opaque' })).toBe('jwt');
  });

  test('outside a project the environment is not the server\'s: the flag, else the preset', async () => {
    const issuer = 'https://auth.example.com';
    expect(await formatFor({ issuer }, { AUTH_TOKEN_FORMAT: 'opaque' })).toBe('jwt');
    expect(await formatFor({ issuer, provider: 'google' })).toBe('opaque');
    expect(await formatFor({ issuer, tokenFormat: 'opaque' })).toBe('opaque');
  });

  test('refuses a format the server would refuse, naming where it came from', async () => {
    await project({}, 'AUTH_TOKEN_FORMAT=JWT\n');
    await expect(formatFor()).rejects.toThrow(new CliError('invalid_answer', 'AUTH_TOKEN_FORMAT must be one of jwt, opaque (got "JWT")'));
    await expect(formatFor({ tokenFormat: 'paseto' })).rejects.toThrow(new CliError('invalid_answer', 'token format must be one of jwt, opaque (got "paseto")'));
  });
});

/** A broker project's settings: the environment over .env, endpoints from the recorded inputs, the callback from MCP_SERVER_URL. */
describe('the broker settings doctor checks', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'doctor-broker-target-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const oauthProject = async (broker: boolean, dotEnv: string) => {
    const answers: Answers = {
      projectName: 'p', provider: 'oauth', framework: 'express', transport: 'stateless', scopes: ['read'], issuer: 'https://auth.example.com', packageManager: 'npm', broker,
      // The endpoints are inputs of broker mode only.
      ...(broker ? { providerInputs: { authorizationUrl: 'https://auth.example.com/oauth/authorize', tokenUrl: 'https://auth.example.com/oauth/token', userinfoUrl: 'https://api.example.com/user', userIdField: 'id' } } : {}),
    };
    await writeFile(join(dir, '.mcp-auth-server.json'), serializeAnswersFile('0.1.0', answers));
    await writeFile(join(dir, '.env'), dotEnv);
  };

  test('endpoints come from .env, else from the recorded inputs; the callback is the origin of MCP_SERVER_URL', async () => {
    await oauthProject(true, 'AUTH_ISSUER=https://auth.example.com\nAUTH_CLIENT_ID=from-dotenv\nAUTH_TOKEN_URL=https://elsewhere.example/token\nMCP_SERVER_URL=https://mcp.example.com/api/mcp\n');
    const { broker } = await resolveDoctorTarget({}, dir, { AUTH_CLIENT_ID: 'from-environment', AUTH_CLIENT_SECRET: 's' });
    expect(broker).toEqual({
      identity: 'user-api',
      clientId: 'from-environment',
      clientSecret: 's',
      endpoints: { authorization: 'https://auth.example.com/oauth/authorize', token: 'https://elsewhere.example/token', userinfo: 'https://api.example.com/user' },
      callbackUrl: 'https://mcp.example.com/oauth/callback',
    });
  });

  test('a resource-server project has no broker settings, whatever its .env holds', async () => {
    await oauthProject(false, 'AUTH_ISSUER=https://auth.example.com\nAUTH_CLIENT_ID=x\n');
    expect((await resolveDoctorTarget({}, dir, {})).broker).toBeUndefined();
  });
});

/** A Workers project has no .env: doctor reads its settings as `wrangler dev` does. */
describe('doctor in a Workers project', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'doctor-workers-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test("reads wrangler.jsonc's vars (comments, URLs with // in strings, trailing commas), .dev.vars over them, the environment over both", async () => {
    const answers: Answers = { projectName: 'p', provider: 'oidc', framework: 'hono', transport: 'stateless', runtime: 'workers', scopes: ['read'], issuer: 'https://recorded.example.com', packageManager: 'npm' };
    await writeFile(join(dir, '.mcp-auth-server.json'), serializeAnswersFile('0.1.0', answers));
    await writeFile(
      join(dir, 'wrangler.jsonc'),
      '// settings\n{\n  "name": "p", /* inline */\n  // the configuration\n  "vars": {\n    "MCP_SERVER_URL": "https://p.example.workers.dev/mcp", // public\n    "AUTH_ISSUER": "https://from-wrangler.example.com",\n    "AUTH_AUDIENCE": "api://p",\n  },\n}\n',
    );
    expect(await resolveDoctorTarget({}, dir, {})).toMatchObject({ issuer: 'https://from-wrangler.example.com', mcpUrl: 'https://p.example.workers.dev/mcp', audiences: ['api://p', 'https://p.example.workers.dev/mcp'] });
    await writeFile(join(dir, '.dev.vars'), 'AUTH_ISSUER=https://from-dev-vars.example.com\n');
    expect((await resolveDoctorTarget({}, dir, {})).issuer).toBe('https://from-dev-vars.example.com');
    expect((await resolveDoctorTarget({}, dir, { AUTH_ISSUER: 'https://from-env.example.com' })).issuer).toBe('https://from-env.example.com');
    // A .env left over from before the switch to Workers is not what the Worker reads.
    await writeFile(join(dir, '.env'), 'AUTH_ISSUER=https://stale-env.example.com\n');
    expect((await resolveDoctorTarget({}, dir, {})).issuer).toBe('https://from-dev-vars.example.com');
  });
});

describe('parseJsonc', () => {
  test('keeps what looks like a comment or a trailing comma inside strings', async () => {
    const { parseJsonc } = await import('../../../src/doctor/target.js');
    expect(parseJsonc('{ "a": "x,}", "b": "/* no */ // no", "c": "q\\"// still a string", }')).toEqual({ a: 'x,}', b: '/* no */ // no', c: 'q"// still a string' });
    expect(parseJsonc('[1, 2, /* two */ 3, ]')).toEqual([1, 2, 3]);
  });
});
