import { expect, test } from 'vitest';
import { CliError } from '../../../src/errors.js';
import { formatUpdateHelp, parseUpdateArgs, updateFlagTable } from '../../../src/cli/update-flags.js';

test('update takes the create answer flags, --check, --dry-run, --yes and a project folder', () => {
  expect(parseUpdateArgs(['--scopes', 'read,write,admin', '--framework=hono', '--check', '-y', 'proj'])).toEqual({
    action: 'run',
    args: { dir: 'proj', answers: { scopes: 'read,write,admin', framework: 'hono' }, yes: true, dryRun: false, check: true },
  });
  expect(parseUpdateArgs(['--help'])).toEqual({ action: 'help' });
});

test('update takes the provider input flags too, as create does', () => {
  expect(parseUpdateArgs(['--provider', 'auth0', '--auth0-domain', 'dev.us.auth0.com', '--dry-run'])).toEqual({
    action: 'run',
    args: { answers: { provider: 'auth0', providerInputs: { 'auth0-domain': 'dev.us.auth0.com' } }, yes: false, dryRun: true, check: false },
  });
});

test.each([
  [['--scopez', 'a'], /unknown flag --scopez; did you mean --scopes\?/],
  [['--force'], /--force is a create flag/],
  [['--no-install'], /--no-install is a create flag/],
  [['--check', '--dry-run'], /do not go together/],
  [['a', 'b'], /unexpected argument/],
])('update refuses %j', (argv, message) => {
  expect(() => parseUpdateArgs(argv)).toThrow(message);
});

test.each([
  [['--no-git'], '--no-git is a create flag; update does not take it (see update --help)'],
  [['--force=yes'], '--force is a create flag; update does not take it (see update --help)'],
  [['--version'], '--version is not an update flag; run create-mcp-auth-server --version'],
  [['-v'], '--version is not an update flag; run create-mcp-auth-server --version'],
  [['--issuer', '--yes'], '--issuer needs a value: --issuer <url> (or --issuer=<url>)'],
  [['--zzzzzzzzzz'], 'unknown flag --zzzzzzzzzz; see update --help'],
])('update refuses %j with exactly one message', (argv, message) => {
  expect(() => parseUpdateArgs(argv)).toThrow(new CliError('invalid_argument', message));
});

test('update help names the exit codes, lists every flag of its table and no default of create', () => {
  const help = formatUpdateHelp();
  expect(help).toMatch(/--scopes <a,b>/);
  expect(help).toMatch(/3 updated with conflicts/);
  for (const name of ['provider', 'framework', 'transport', 'scopes', 'issuer', 'audience', 'pm', 'check', 'dry-run', 'yes', 'help']) {
    expect(updateFlagTable.flags.map((flag) => flag.name)).toContain(name);
    expect(help).toContain(`--${name}`);
  }
  // The preset inputs are summarized, not listed: create's --help lists them.
  expect(help).toMatch(/--<provider>-<input> +a preset's inputs \(\d+ flags, such as --[a-z-]+\),\n +as for create: create-mcp-auth-server --help lists them/);
  expect(help).not.toContain('(default: local)');
});

test('update takes --token-format and the metadata shim switches, so a project can change them', () => {
  expect(parseUpdateArgs(['--token-format', 'opaque', '--no-metadata-shim'])).toEqual({
    action: 'run',
    args: { answers: { tokenFormat: 'opaque', metadataShim: false }, yes: false, dryRun: false, check: false },
  });
  expect(formatUpdateHelp()).toMatch(/--token-format <jwt\|opaque>/);
  expect(formatUpdateHelp()).toMatch(/--no-metadata-shim/);
});

test('update takes --broker and --no-broker, so a project can switch modes', () => {
  expect(parseUpdateArgs(['--broker'])).toMatchObject({ action: 'run', args: { answers: { broker: true } } });
  expect(parseUpdateArgs(['--no-broker'])).toMatchObject({ action: 'run', args: { answers: { broker: false } } });
  expect(() => parseUpdateArgs(['--broker', '--no-broker'])).toThrow(/contradict each other/);
  expect(formatUpdateHelp()).toMatch(/--no-broker/);
});
