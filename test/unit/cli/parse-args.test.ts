import { describe, expect, test } from 'vitest';
import { optionalDirectory, parseCommandLine, valuesOf, type FlagTable } from '../../../src/cli/parse-args.js';
import { CliError } from '../../../src/errors.js';

/** A made-up command: two value flags, two switches (one with an alias), one refused flag. */
const table: FlagTable = {
  flags: [
    { name: 'issuer', value: '<url>', description: 'issuer' },
    { name: 'mcp-url', value: '<url>', description: 'server' },
    { name: 'yes', alias: 'y', description: 'never prompt' },
    { name: 'dry-run', description: 'write nothing' },
  ],
  unknownFlag: (flag) => `unknown flag ${flag} for test`,
  help: 'test --help',
  refused: { '--force': '--force is for another command', '-f': '-f is for another command' },
};

const parse = (argv: string[]) => parseCommandLine(table, argv);
const refusal = (message: string) => new CliError('invalid_argument', message);

describe('parseCommandLine', () => {
  test('reads values as --flag value and --flag=value, switches long and short, and positionals', () => {
    const line = parse(['dir', '--issuer', 'https://a.example', '--mcp-url=http://x/mcp?a=b', '-y', '--dry-run']);
    expect(line.values).toEqual({ issuer: 'https://a.example', 'mcp-url': 'http://x/mcp?a=b' });
    expect([...line.switches].sort()).toEqual(['dry-run', 'yes']);
    expect(line.positionals).toEqual(['dir']);
  });

  test('gives nothing for an empty argv', () => {
    const line = parse([]);
    expect([line.values, [...line.switches], line.positionals]).toEqual([{}, [], []]);
  });

  test('keeps an empty = value, any later =, and a leading dash given with =', () => {
    expect(parse(['--issuer=']).values).toEqual({ issuer: '' });
    expect(parse(['--issuer=a=b']).values).toEqual({ issuer: 'a=b' });
    expect(parse(['--issuer=--yes']).values).toEqual({ issuer: '--yes' });
  });

  test('lets the last of a repeated flag win', () => {
    expect(parse(['--issuer', 'a', '--issuer', 'b']).values).toEqual({ issuer: 'b' });
  });

  test('takes a lone dash as a value or a positional, and everything after -- as positionals', () => {
    expect(parse(['--issuer', '-']).values).toEqual({ issuer: '-' });
    expect(parse(['-', '--', '--yes', '-y']).positionals).toEqual(['-', '--yes', '-y']);
    expect(parse(['--', '--yes']).switches.size).toBe(0);
  });

  test.each([
    [['--isuer', 'x'], 'unknown flag --isuer for test; did you mean --issuer?'],
    [['--mcpurl=x'], 'unknown flag --mcpurl for test; did you mean --mcp-url?'],
    [['--zzzzzzzzzz'], 'unknown flag --zzzzzzzzzz for test; see test --help'],
    [['-q'], 'unknown flag -q for test; see test --help'],
    [['--y'], 'unknown flag --y for test; did you mean --yes?'],
    [['--issuer'], '--issuer needs a value: --issuer <url> (or --issuer=<url>)'],
    [['--issuer', '--yes'], '--issuer needs a value: --issuer <url> (or --issuer=<url>)'],
    [['--issuer', '-y'], '--issuer needs a value: --issuer <url> (or --issuer=<url>)'],
    [['--issuer', '--unknown'], '--issuer needs a value: --issuer <url> (or --issuer=<url>)'],
    [['--yes=true'], '--yes does not take a value'],
    [['--force'], '--force is for another command'],
    [['--force=1'], '--force is for another command'],
    [['-f'], '-f is for another command'],
  ])('refuses %j with one message', (argv, message) => {
    expect(() => parse(argv)).toThrow(refusal(message));
  });

  test('reports the first problem in argv order', () => {
    expect(() => parse(['--yes=1', '--nope'])).toThrow(refusal('--yes does not take a value'));
    expect(() => parse(['--nope', '--yes=1'])).toThrow(refusal('unknown flag --nope for test; see test --help'));
  });

  test('suggests only flags of the table, never a refused one', () => {
    expect(() => parse(['--forc'])).toThrow(refusal('unknown flag --forc for test; see test --help'));
  });
});

describe('optionalDirectory', () => {
  test('gives the one positional as dir, nothing without one, and refuses a second', () => {
    expect(optionalDirectory(parse(['proj']))).toEqual({ dir: 'proj' });
    expect(optionalDirectory(parse([]))).toEqual({});
    expect(() => optionalDirectory(parse(['a', 'b']))).toThrow(refusal('unexpected argument "b": give at most one directory'));
  });
});

describe('valuesOf', () => {
  test('renames the given values and leaves out the others', () => {
    expect(valuesOf(parse(['--mcp-url', 'u']), { issuer: 'issuer', 'mcp-url': 'mcpUrl' })).toEqual({ mcpUrl: 'u' });
  });
});
