import { providers } from '../../../src/providers/index.js';
import { describe, expect, test } from 'vitest';
import {
  validateAudience,
  validateFramework,
  validateIssuer,
  validatePackageManager,
  validateProjectName,
  validateProvider,
  validateScopes,
  validateTransport,
} from '../../../src/answers/validate.js';
import { CliError } from '../../../src/errors.js';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError && error.code === 'invalid_answer') return error.message;
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('choices', () => {
  test('accepts every id of the tables', () => {
    expect(validateProvider('oauth')).toBe('oauth');
    expect(validateFramework('hono')).toBe('hono');
    expect(validateTransport('stateful')).toBe('stateful');
    expect(validatePackageManager('bun')).toBe('bun');
  });

  test('lists the allowed values from the tables when a value is unknown', () => {
    expect(messageOf(() => validateProvider('authzero'))).toBe(`provider must be one of ${providers.map((p) => p.id).join(', ')} (got "authzero")`);
    expect(messageOf(() => validateFramework('koa'))).toBe('framework must be one of express, hono (got "koa")');
    expect(messageOf(() => validateTransport('sse'))).toBe('transport must be one of stateless, stateful (got "sse")');
    expect(messageOf(() => validatePackageManager('deno'))).toBe(
      'package manager must be one of npm, pnpm, yarn, bun (got "deno")',
    );
  });
});

describe('validateIssuer', () => {
  test.each([
    'https://auth.example.com',
    'https://auth.example.com/',
    'https://login.example.com/tenant/v2.0',
    'http://localhost:3001',
    'http://127.0.0.1:8080/realms/dev',
    'http://[::1]:3001',
    "https://auth.example.com/o'brien/%41$(x)",
  ])('accepts %s exactly as typed', (issuer) => {
    expect(validateIssuer(issuer)).toBe(issuer);
  });

  test.each([
    ['auth.example.com', /must be an absolute URL/],
    ['/relative', /must be an absolute URL/],
    ['ftp://auth.example.com', /must be an https URL/],
    ['http://auth.example.com', /http is only allowed for localhost, 127\.0\.0\.1 and \[::1\]/],
    ['http://localhost.evil.example', /http is only allowed/],
    ['https://auth.example.com/?tenant=1', /must not have a query/],
    ['https://auth.example.com/?', /must not have a query/],
    ['https://auth.example.com/#x', /must not have a fragment/],
    ['https://user:pw@auth.example.com', /user name or password/],
    ['https://auth.example.com/a b', /must not contain spaces/],
    ['https://auth.example.com/\n', /control characters/],
    ['https://auth\0.example.com', /control characters/],
    ['https://auth.example.com/a"b\'c', /URI characters only; percent-encode "\\""/],
    ['https://auth.example.com/`x`', /URI characters only/],
    ['https://auth.example.com/<script>', /URI characters only/],
    ['https://auth.example.com/a\\b', /URI characters only/],
    ['https://аuth.example.com', /URI characters only/],
  ])('refuses %j', (issuer, message) => {
    expect(messageOf(() => validateIssuer(issuer))).toMatch(message);
  });
});

describe('validateScopes', () => {
  test('splits on commas and forgives spaces around them', () => {
    expect(validateScopes('read, write')).toEqual(['read', 'write']);
    expect(validateScopes('mcp:tools/read')).toEqual(['mcp:tools/read']);
    expect(validateScopes('https://api.example.com/read,a!#$%&()*+-./:;<=>?@[]^_`{|}~')).toHaveLength(2);
  });

  test.each([
    ['', /at least one scope/],
    ['   ', /at least one scope/],
    ['read,,write', /empty entry/],
    ['read,', /empty entry/],
    ['read all', /not an OAuth scope token/],
    ['say"hi"', /not an OAuth scope token/],
    ['back\\slash', /not an OAuth scope token/],
    ['caf\u00e9', /not an OAuth scope token/],
    ['read,offline_access', /offline_access.*never a resource scope/],
    ['read,write,read', /"read" is listed twice/],
    ['read\twrite', /control characters/],
  ])('refuses %j', (scopes, message) => {
    expect(messageOf(() => validateScopes(scopes))).toMatch(message);
  });
});

describe('validateAudience', () => {
  test('treats empty as not set and keeps other values as typed', () => {
    expect(validateAudience('')).toBeUndefined();
    expect(validateAudience('api://mcp')).toBe('api://mcp');
    expect(validateAudience("it's fine")).toBe("it's fine");
  });

  test.each([
    ['line\nbreak', /control characters/],
    ['nul\0', /control characters/],
    ['esc\u001b[31m', /control characters/],
    ['sep\u2028', /control characters/],
    ['x'.repeat(2049), /at most 2048 characters/],
    [' padded', /must not start or end with spaces/],
    [`it's "both"`, /both ' and "/],
    ['\ud800', /valid Unicode/],
  ])('refuses %j', (audience, message) => {
    expect(messageOf(() => validateAudience(audience))).toMatch(message);
  });
});

describe('validateProjectName', () => {
  test.each(['mcp-auth-server', 'my.server', 'a', '@acme/mcp-server', 'x'.repeat(214)])('accepts %s', (name) => {
    expect(validateProjectName(name)).toBe(name);
  });

  test.each([
    ['', /must not be empty/],
    ['My-Server', /must be lowercase/],
    ['my server', /must not contain spaces/],
    ['.hidden', /must not start with \. or _/],
    ['_private', /must not start with \. or _/],
    ['x'.repeat(215), /at most 214 characters/],
    ['caf\u00e9', /may only contain/],
    ['a/b', /may only contain/],
    ['node_modules', /reserved/],
    ['http', /core module/],
    ['bad\nname', /control characters/],
  ])('refuses %j as an npm package name', (name, message) => {
    expect(messageOf(() => validateProjectName(name))).toMatch(message);
  });
});
