import { describe, expect, test } from 'vitest';
import { flagSpecs, parseFlags } from '../../../src/answers/flags.js';
import { CliError } from '../../../src/errors.js';

function errorOf(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('parseFlags', () => {
  test('gives defaults for every option when no flag is passed', () => {
    expect(parseFlags([])).toEqual({
      answers: {},
      options: { yes: false, install: true, git: true, force: false, dryRun: false },
    });
  });

  test('reads every answer flag with a separate value', () => {
    const parsed = parseFlags([
      'my-server',
      '--provider', 'oidc',
      '--framework', 'hono',
      '--transport', 'stateful',
      '--scopes', 'mcp:read,mcp:write',
      '--issuer', 'https://auth.example.com',
      '--audience', 'api://mcp',
      '--pm', 'pnpm',
    ]);
    expect(parsed.dir).toBe('my-server');
    expect(parsed.answers).toEqual({
      provider: 'oidc',
      framework: 'hono',
      transport: 'stateful',
      scopes: 'mcp:read,mcp:write',
      issuer: 'https://auth.example.com',
      audience: 'api://mcp',
      packageManager: 'pnpm',
    });
  });

  test('reads --flag=value, keeping any later = in the value', () => {
    const parsed = parseFlags(['--issuer=https://a.example/x', '--audience=a=b', '--scopes=read']);
    expect(parsed.answers).toEqual({ issuer: 'https://a.example/x', audience: 'a=b', scopes: 'read' });
  });

  test('accepts an empty value in = form', () => {
    expect(parseFlags(['--audience=']).answers).toEqual({ audience: '' });
  });

  test('sets every boolean option, long and short', () => {
    const parsed = parseFlags(['-y', '--no-install', '--no-git', '--force', '--dry-run']);
    expect(parsed.options).toEqual({ yes: true, install: false, git: false, force: true, dryRun: true });
    expect(parseFlags(['--yes']).options.yes).toBe(true);
  });

  test('recognizes --help, -h, --version and -v as actions', () => {
    expect(parseFlags(['--help']).action).toBe('help');
    expect(parseFlags(['-h']).action).toBe('help');
    expect(parseFlags(['--version']).action).toBe('version');
    expect(parseFlags(['-v']).action).toBe('version');
  });

  test('lets the last of a repeated flag win', () => {
    expect(parseFlags(['--framework', 'express', '--framework', 'hono']).answers.framework).toBe('hono');
  });

  test('treats everything after -- as positional', () => {
    expect(parseFlags(['--', 'dir']).dir).toBe('dir');
  });

  test('names an unknown flag and suggests the closest known one', () => {
    const error = errorOf(() => parseFlags(['--provder', 'oidc']));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe('unknown flag --provder; did you mean --provider?');
    expect(errorOf(() => parseFlags(['--no-instal'])).message).toMatch(/did you mean --no-install\?/);
    expect(errorOf(() => parseFlags(['--dryrun'])).message).toMatch(/did you mean --dry-run\?/);
  });

  test('points to --help when no flag is close', () => {
    expect(errorOf(() => parseFlags(['--zzzzzzzzzz'])).message).toBe('unknown flag --zzzzzzzzzz; see --help');
    expect(errorOf(() => parseFlags(['-x'])).message).toMatch(/^unknown flag -x/);
  });

  test('refuses a value flag without its value, at the end or before another flag', () => {
    expect(errorOf(() => parseFlags(['--issuer'])).message).toBe(
      '--issuer needs a value: --issuer <url> (or --issuer=<url>)',
    );
    expect(errorOf(() => parseFlags(['--provider', '--yes'])).message).toMatch(/^--provider needs a value/);
  });

  test('refuses a value on a boolean flag', () => {
    expect(errorOf(() => parseFlags(['--yes=true'])).message).toBe('--yes does not take a value');
  });

  test('refuses a second positional argument', () => {
    expect(errorOf(() => parseFlags(['a', 'b'])).message).toMatch(/unexpected argument "b"/);
  });

  test('has unique flag names and aliases', () => {
    const names = flagSpecs.flatMap((f) => (f.alias ? [f.name, f.alias] : [f.name]));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('token format and metadata shim flags', () => {
  test('--token-format takes a value; --metadata-shim and --no-metadata-shim set the shim either way', () => {
    expect(parseFlags(['--token-format', 'opaque']).answers).toEqual({ tokenFormat: 'opaque' });
    expect(parseFlags(['--metadata-shim']).answers).toEqual({ metadataShim: true });
    expect(parseFlags(['--no-metadata-shim']).answers).toEqual({ metadataShim: false });
    // Absent means "the preset's choice", not false.
    expect(parseFlags(['--provider', 'entra']).answers).not.toHaveProperty('metadataShim');
  });

  test('refuses both shim switches at once, a value on the switch and a missing format', () => {
    expect(errorOf(() => parseFlags(['--metadata-shim', '--no-metadata-shim'])).message).toMatch(/contradict each other/);
    expect(errorOf(() => parseFlags(['--metadata-shim=1'])).message).toMatch(/--metadata-shim does not take a value/);
    expect(errorOf(() => parseFlags(['--token-format'])).message).toMatch(/--token-format needs a value/);
  });

  test('are in the flag table --help prints, with the preset defaults named', () => {
    const tokenFormat = flagSpecs.find((spec) => spec.name === 'token-format');
    expect(tokenFormat).toMatchObject({ value: '<jwt|opaque>' });
    expect(tokenFormat?.default).toContain('opaque for google');
    expect(flagSpecs.find((spec) => spec.name === 'metadata-shim')?.default).toBe('on for entra, cognito');
    expect(flagSpecs.find((spec) => spec.name === 'no-metadata-shim')).toBeDefined();
  });
});
