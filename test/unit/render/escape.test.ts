import { parseEnv } from 'node:util';
import { describe, expect, test } from 'vitest';
import { escapeEnv, escapeJson, escapeMd, escapeMdCode, escapeTs } from '../../../src/render/escape.js';

const hostile = [
  '',
  'plain-value_1.2:3@host/%+,=~',
  'with space',
  'double " quote',
  "single ' quote",
  'back`tick',
  '${process.exit(1)}',
  '`${x}`',
  '</script><script>alert(1)</script>',
  '<!-- comment -->',
  'line\u2028separator\u2029paragraph',
  'back\\slash \\n \\u0041',
  'hash # not a comment',
  '$HOME and $(whoami)',
  '  leading and trailing  ',
  'tab\there',
  'emoji 🔐 and ünïcödé',
  '\ud800 lone surrogate',
  "'quoted'",
  '"dq"',
];

/** Evaluates a JS expression in a fresh function: proves the literal parses and yields the value. */
const evaluate = (source: string): unknown => new Function(`return (${source});`)();

describe('esc.ts', () => {
  test.each(hostile)('round-trips %j as a JS string literal', (value) => {
    expect(evaluate(escapeTs(value))).toBe(value);
  });

  test('never emits <, U+2028 or U+2029 literally, so </script> and <!-- cannot appear', () => {
    for (const value of hostile) {
      expect(escapeTs(value)).not.toMatch(/[<\u2028\u2029]/);
    }
  });

  test('keeps NUL and newlines escaped inside the literal', () => {
    expect(escapeTs('a\0b\nc')).toBe('"a\\u0000b\\nc"');
    expect(evaluate(escapeTs('a\0b\nc'))).toBe('a\0b\nc');
  });

  test('stays inside a template literal placeholder without breaking out', () => {
    const value = '`; process.exit(1); `${1}';
    expect(evaluate(`\`x\${${escapeTs(value)}}y\``)).toBe(`x${value}y`);
  });

  test('refuses a non-string', () => {
    // Deliberately the wrong type: templates are untyped EJS, so the escaper checks at run time too.
    expect(() => escapeTs(1 as never)).toThrow(/expects a string/);
  });
});

describe('esc.json', () => {
  test('round-trips nested values through JSON.parse', () => {
    const value = { list: hostile, n: 1, ok: true, nothing: null };
    expect(JSON.parse(escapeJson(value))).toEqual(value);
    expect(escapeJson(value)).not.toMatch(/[<\u2028\u2029]/);
  });

  test('indents when given a space count, like JSON.stringify', () => {
    expect(escapeJson({ a: ['<'] }, 2)).toBe('{\n  "a": [\n    "\\u003c"\n  ]\n}');
  });

  test('refuses values JSON cannot represent', () => {
    expect(() => escapeJson(undefined)).toThrow(/cannot serialize/);
    expect(() => escapeJson(() => 1)).toThrow(/cannot serialize/);
  });
});

describe('esc.env', () => {
  const representable = hostile.filter(
    (v) => !(v.includes("'") && (v.includes('"') || v.includes('\\'))) && !v.includes('\ud800'),
  );

  test.each(representable)('round-trips %j through Node util.parseEnv', (value) => {
    expect(parseEnv(`K=${escapeEnv(value)}\nNEXT=1\n`)).toEqual({ K: value, NEXT: '1' });
  });

  test('leaves URL-like values unquoted', () => {
    expect(escapeEnv('http://localhost:3000/mcp')).toBe('http://localhost:3000/mcp');
    expect(escapeEnv('')).toBe('');
  });

  test('refuses newlines, carriage returns and NUL, which no .env quoting can hold', () => {
    for (const value of ['a\nb', 'a\rb', 'a\0b']) {
      expect(() => escapeEnv(value)).toThrow(/newline, carriage return or NUL/);
    }
  });

  test('refuses an unpaired surrogate, which UTF-8 cannot store', () => {
    expect(() => escapeEnv('\ud800')).toThrow(/unpaired surrogate/);
  });

  test('refuses a single quote together with a double quote or a backslash', () => {
    expect(() => escapeEnv(`it's "x"`)).toThrow(/cannot quote/);
    expect(() => escapeEnv(`it's \\n`)).toThrow(/cannot quote/);
  });
});

describe('esc.md', () => {
  test('backslash-escapes every Markdown punctuation character', () => {
    expect(escapeMd('\\`*_{}[]()#+-.!|<>')).toBe('\\\\\\`\\*\\_\\{\\}\\[\\]\\(\\)\\#\\+\\-\\.\\!\\|\\<\\>');
  });

  test('turns line breaks into spaces so a value cannot start a heading or a list', () => {
    expect(escapeMd('a\n# b\r\nc\rd')).toBe('a \\# b c d');
  });

  test('refuses an unpaired surrogate', () => {
    expect(() => escapeMd('x\udc00')).toThrow(/unpaired surrogate/);
  });

  test('leaves letters, digits and spaces alone', () => {
    expect(escapeMd('My Server 2')).toBe('My Server 2');
  });
});

describe('esc.code', () => {
  /** CommonMark closes a code span at the first backtick run as long as the opening fence. */
  function parseCodeSpan(span: string): string {
    const fence = /^`+/.exec(span)![0];
    expect(span.endsWith(fence)).toBe(true);
    const inner = span.slice(fence.length, -fence.length);
    for (const run of inner.match(/`+/g) ?? []) expect(run.length).not.toBe(fence.length);
    return inner.length > 2 && inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '' ? inner.slice(1, -1) : inner;
  }

  test.each(['read', 'a`b', '``x``', '`lead', 'trail`', 'mcp:tools', '</script>', '${x}', '| pipe |'])('keeps %j verbatim inside one code span', (value) => {
    expect(parseCodeSpan(escapeMdCode(value))).toBe(value);
  });

  test('turns line breaks into spaces so the span cannot end the line', () => {
    expect(escapeMdCode('a\nb\r\nc')).toBe('`a b c`');
  });
});
