import { expect, test } from 'vitest';
import { formatAddHelp, formatUpdateHelp, parseAddArgs, parseUpdateArgs } from '../../../src/commands/update-args.js';

test('update takes the create answer flags, --check, --dry-run, --yes and a project folder', () => {
  expect(parseUpdateArgs(['--scopes', 'read,write,admin', '--framework=hono', '--check', '-y', 'proj'])).toEqual({
    action: 'run',
    args: { dir: 'proj', answers: { scopes: 'read,write,admin', framework: 'hono' }, yes: true, dryRun: false, check: true },
  });
  expect(parseUpdateArgs(['--help'])).toEqual({ action: 'help' });
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

test('add tool takes a name, --scopes, --description, --dir and --dry-run', () => {
  expect(parseAddArgs(['tool', 'get_weather', '--scopes=weather.read', '--description', 'Gets the weather.', '--dry-run'])).toEqual({
    action: 'run',
    args: { name: 'get_weather', scopes: 'weather.read', description: 'Gets the weather.', dryRun: true },
  });
});

test.each([
  [[], /add needs what to add/],
  [['prompt', 'x'], /"prompt" is not something add knows/],
  [['tool'], /needs a tool name/],
  [['tool', 'a', 'b'], /takes one name/],
  [['tool', 'a', '--scope', 'x'], /unknown flag --scope for add tool/],
  [['tool', 'a', '--scopes'], /--scopes needs a value/],
])('add refuses %j', (argv, message) => {
  expect(() => parseAddArgs(argv)).toThrow(message);
});

test('help texts name the exit codes and the flags', () => {
  expect(formatUpdateHelp()).toMatch(/--scopes <a,b>/);
  expect(formatUpdateHelp()).toMatch(/3 updated with conflicts/);
  expect(formatAddHelp()).toMatch(/add tool <name>/);
});
