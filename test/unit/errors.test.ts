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
  // Those JSON.stringify keeps: DEL, C1 (U+0085 breaks the line in some terminals), U+2028, a right-to-left override.
  expect(quoteValue('a\u007fb\u0085c\u2028d\u202ee')).toBe('"a\\u007fb\\u0085c\\u2028d\\u202ee"');
  expect(quoteValue('x'.repeat(100), 5)).toBe('"xxxxx…"');
});

test('quoteValue shows bidirectional controls as escapes, so they cannot reorder the message around them', () => {
  expect(quoteValue('a\u202eb\u2066c')).toBe('"a\\u202eb\\u2066c"');
});

test('instanceof CliError holds for a CliError from another copy of the module (each command is its own bundle)', async () => {
  // A query makes vitest load the file again as another module: another class, like another bundle's copy.
  const path: string = '../../src/errors.js?another-bundle';
  const copy = (await import(path)) as typeof import('../../src/errors.js');
  expect(copy.CliError).not.toBe(CliError);
  expect(new copy.CliError('invalid_answer', 'x') instanceof CliError).toBe(true);
  expect(new CliError('invalid_answer', 'x') instanceof copy.CliError).toBe(true);
  // Only the mark counts: a look-alike is not one.
  const lookAlike = Object.assign(new Error('x'), { name: 'CliError', code: 'invalid_answer' });
  expect(lookAlike instanceof CliError).toBe(false);
  expect((null as unknown) instanceof CliError).toBe(false);
});
