import { expect, test } from 'vitest';
import { CliError } from '../../../src/errors.js';
import { addToolFlagTable, formatAddHelp, parseAddArgs } from '../../../src/cli/add-tool-flags.js';

test('add tool takes a name, --scopes, --description, --dir and --dry-run', () => {
  expect(parseAddArgs(['tool', 'get_weather', '--scopes=weather.read', '--description', 'Gets the weather.', '--dry-run'])).toEqual({
    action: 'run',
    args: { name: 'get_weather', scopes: 'weather.read', description: 'Gets the weather.', dryRun: true },
  });
  expect(parseAddArgs(['tool', '--dir', 'proj', 'x'])).toEqual({ action: 'run', args: { name: 'x', dir: 'proj', dryRun: false } });
});

test('add --help, -h and add tool --help ask for the help', () => {
  for (const argv of [['--help'], ['-h'], ['tool', '--help'], ['tool', 'x', '-h']]) expect(parseAddArgs(argv)).toEqual({ action: 'help' });
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

test.each([
  [['tool', 'a', '--scope', 'x'], 'unknown flag --scope for add tool; did you mean --scopes?'],
  [['tool', 'a', '--description', '--dry-run'], '--description needs a value: --description <text> (or --description=<text>)'],
  [['tool', 'a', '--dry-run=1'], '--dry-run does not take a value'],
])('add refuses %j with exactly one message', (argv, message) => {
  expect(() => parseAddArgs(argv)).toThrow(new CliError('invalid_argument', message));
});

test('a description that starts with a dash is given with =', () => {
  expect(parseAddArgs(['tool', 'a', '--description=-1 means none'])).toMatchObject({ args: { description: '-1 means none' } });
});

test('add help shows the usage and every flag of its table', () => {
  const help = formatAddHelp();
  expect(help).toMatch(/add tool <name>/);
  for (const flag of addToolFlagTable.flags) expect(help).toContain(`--${flag.name}`);
});
