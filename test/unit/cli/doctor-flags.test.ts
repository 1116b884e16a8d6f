import { expect, test } from 'vitest';
import { CliError } from '../../../src/errors.js';
import { doctorFlagTable, formatDoctorHelp, parseDoctorArgs } from '../../../src/cli/doctor-flags.js';

test('reads a directory and value flags, and refuses unknown flags', () => {
  expect(parseDoctorArgs(['proj', '--issuer=https://a.example', '--token', 't'])).toEqual({ action: 'run', args: { dir: 'proj', issuer: 'https://a.example', token: 't' } });
  expect(() => parseDoctorArgs(['--nope'])).toThrow(/unknown doctor flag --nope/);
});

test('reads every flag, --mcp-url as mcpUrl and --token-format as tokenFormat', () => {
  expect(parseDoctorArgs(['--provider', 'auth0', '--audience', 'api', '--token-format', 'opaque', '--mcp-url', 'http://localhost:4000/mcp'])).toEqual({
    action: 'run',
    args: { provider: 'auth0', audience: 'api', tokenFormat: 'opaque', mcpUrl: 'http://localhost:4000/mcp' },
  });
  expect(parseDoctorArgs(['--help'])).toEqual({ action: 'help' });
  expect(parseDoctorArgs(['-h'])).toEqual({ action: 'help' });
});

test.each([
  [['--isuer', 'x'], 'unknown doctor flag --isuer; did you mean --issuer?'],
  [['--zzzzzzzzzz'], 'unknown doctor flag --zzzzzzzzzz; see doctor --help'],
  [['--issuer', '--token', 't'], '--issuer needs a value: --issuer <url> (or --issuer=<url>)'],
  [['--token'], '--token needs a value: --token <jwt> (or --token=<jwt>)'],
  [['a', 'b'], 'unexpected argument "b": give at most one directory'],
])('refuses %j with exactly one message', (argv, message) => {
  expect(() => parseDoctorArgs(argv)).toThrow(new CliError('invalid_argument', message));
});

test('help lists every flag of its table and the exit codes', () => {
  const help = formatDoctorHelp();
  for (const flag of doctorFlagTable.flags) expect(help).toContain(`--${flag.name}${flag.value ? ` ${flag.value}` : ''}`);
  expect(help).toContain('Exit codes: 0 ready');
});
