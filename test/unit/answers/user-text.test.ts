import { describe, expect, test } from 'vitest';
import { checkUserText, userTextProblem } from '../../../src/answers/user-text.js';
import { CliError } from '../../../src/errors.js';

const codePoints = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
const hex = (char: string) => `U+${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Every character the shared check refuses, by the problem it reports. */
const HOSTILE = {
  control: [...codePoints(0x00, 0x1f), ...codePoints(0x7f, 0x9f), '\u2028', '\u2029'],
  bidi: [...codePoints(0x202a, 0x202e), ...codePoints(0x2066, 0x2069)],
  surrogate: ['\ud800', '\udbff', '\udc00', '\udfff'],
} as const;

describe('userTextProblem', () => {
  for (const [problem, chars] of Object.entries(HOSTILE)) {
    test.each(chars.map((char) => [hex(char), char]))(`refuses %s anywhere in the text as ${problem}`, (_name, char) => {
      for (const text of [char, `a${char}`, `${char}b`, `a${char}b`]) expect(userTextProblem(text)).toBe(problem);
    });
  }

  test('refuses a reversed surrogate pair but accepts a real one', () => {
    expect(userTextProblem('\udc00\ud800')).toBe('surrogate');
    expect(userTextProblem('\ud83d\ude00')).toBeUndefined();
  });

  test.each([
    ['plain ASCII', 'read:notes https://x.example/?a=b#c'],
    ['letters of other scripts, right-to-left ones included', 'café Ωμέγα עברית العربية 日本語'],
    ['emoji, joiners and variation selectors', '👩‍💻 ✔️'],
    ['characters next to the refused ranges', '\u00a0\u2027\u202f\u2065\u206a'],
    ['the empty string', ''],
  ])('accepts %s', (_name, text) => {
    expect(userTextProblem(text)).toBeUndefined();
  });

  test('bounds the length only when asked, in UTF-16 code units', () => {
    expect(userTextProblem('x'.repeat(10_000))).toBeUndefined();
    expect(userTextProblem('xxx', { maxLength: 3 })).toBeUndefined();
    expect(userTextProblem('xxxx', { maxLength: 3 })).toBe('length');
    expect(userTextProblem('😀😀', { maxLength: 3 })).toBe('length');
  });

  test('reports a control character before anything else', () => {
    expect(userTextProblem('\u202e\n\ud800' + 'x'.repeat(10), { maxLength: 3 })).toBe('control');
  });
});

describe('checkUserText', () => {
  test('returns clean text unchanged', () => {
    expect(checkUserText('audience', 'api://mcp')).toBe('api://mcp');
  });

  test.each([
    ['a\r\nb', {}, 'audience must not contain control characters or line breaks (got "a\\r\\nb")'],
    ['a\u202eb', {}, 'audience must not contain bidirectional control characters (got "a\\u202eb")'],
    ['a\ud800', {}, 'audience must be valid Unicode (got "a\\ud800")'],
    ['x'.repeat(5), { maxLength: 4 }, 'audience must be at most 4 characters (got 5)'],
  ])('names the input and the rule for %j', (raw, rules, message) => {
    expect(() => checkUserText('audience', raw, rules)).toThrow(new CliError('invalid_answer', message));
  });
});
