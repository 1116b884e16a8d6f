import { expect, test } from 'vitest';
import { CliError, quoteValue } from '../../src/errors.js';

test('CliError keeps its code and cause and maps cancel to exit 130, the rest to 1', () => {
  const cause = new Error('root');
  const error = new CliError('invalid_answer', 'bad', { cause });
  expect([error.code, error.message, error.cause, error.exitCode]).toEqual(['invalid_answer', 'bad', cause, 1]);
  expect(new CliError('cancelled', 'stop').exitCode).toBe(130);
});

test('quoteValue makes control characters visible and cuts long values', () => {
  expect(quoteValue('a\nb\u0000')).toBe('"a\\nb\\u0000"');
  expect(quoteValue('x'.repeat(100), 5)).toBe('"xxxxx…"');
});
